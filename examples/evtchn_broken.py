"""A deliberately broken variant of evtchn_impl.EventChannels, for the conformance test to catch.

The bug: closing one end of an interdomain channel forgets the other end, which stays INTERDOMAIN and
points at a port that is now FREE (and may be reused by an unrelated binding). A send on the stale
end then marks the reused port pending: the kind of dangling-reference bug evtchn_close avoids by
turning the peer back into an UNBOUND port.
"""
from __future__ import annotations

from evtchn_impl import Domain, EventChannels, Evtchn


class BrokenEventChannels(EventChannels):
    def close_interdomain_peer(self, d: Domain, chn: Evtchn) -> None:
        pass  # BUG: the peer end is left INTERDOMAIN, pointing at the port being freed
