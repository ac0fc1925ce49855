"""Partitions as Ray actors: the transport of `check --cluster ray` (a Ray started on this machine) and
`--cluster ray://HOST:PORT` (an existing Ray cluster, through Ray Client).

The same partitions (partition.py) and the same driver (partitioned.py) as the worker processes of
pool.py: each actor receives the model pickled once and compiles it itself. For a level, every actor's
`expand` returns one object per owner (num_returns=N), each owner's `absorb` is called on the N
objects meant for it, and every actor's `settle` on the N owners' keys, so the batches go from actor to
actor through Ray's object store, never through the driver; only the reports come back. Ray is an
optional dependency (the `cluster` extra), imported only here. On a cluster, every node needs xenmodel
installed (the same version as the driver).
"""
from __future__ import annotations

import gc
import os
import pickle
import socket
from typing import Any

from xenmodel import ir
from xenmodel.result import OptionError

from .partition import Partition, Payload
from .partitioned import WorkerFailed

CONNECT_TIMEOUT = 5.0  # seconds to open a connection to the cluster's client port


class PartitionActor:
    """One partition in a Ray actor (made remote by RayTransport, so that this module imports without Ray)."""

    def __init__(self, blob: bytes, wid: int, n: int, symmetry: bool, deadlock: bool) -> None:
        gc.disable()  # as in pool.py's workers: the actor's process holds this partition only
        self.part = Partition(pickle.loads(blob), wid, n, symmetry, deadlock)

    def notes(self) -> list[str]:
        return self.part.notes

    def expand(self) -> Any:
        batches = self.part.expand()
        return tuple(batches) if len(batches) > 1 else batches[0]

    def absorb(self, *batches: Payload) -> Any:
        return self.part.absorb(list(batches))

    def settle(self, *keys: Any) -> dict[str, Any]:
        return self.part.settle(list(keys))

    def call(self, method: str, *args: Any) -> Any:
        return getattr(self.part, method)(*args)


class _Replies:
    """The results of some actor calls (None for an actor not asked)."""

    def __init__(self, ray: Any, refs: list[Any]) -> None:
        self.ray, self.refs = ray, refs

    def wait(self, seconds: float) -> list[Any] | None:
        asked = [r for r in self.refs if r is not None]
        ready, _ = self.ray.wait(asked, num_returns=len(asked), timeout=seconds)
        if len(ready) < len(asked):
            return None
        try:
            return [None if r is None else self.ray.get(r) for r in self.refs]
        except self.ray.exceptions.RayError as err:
            cause = getattr(err, "cause", None)
            kind = "memory" if isinstance(cause, MemoryError) or "OutOfMemory" in type(err).__name__ else "error"
            raise WorkerFailed(kind, f"a Ray actor failed: {err}") from None


def _reachable(address: str) -> None:
    """A quick look at ray://HOST:PORT before Ray Client tries (it retries for about half a minute)."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT).close()
    except (OSError, ValueError) as err:
        raise OptionError(f"--cluster {address}: cannot reach a Ray cluster there ({err}); start one with "
                          "`ray start --head` (its client port is 10001 by default)") from None


class RayTransport:
    """N partitions as Ray actors (see the module docstring)."""

    def __init__(self, cluster: str, workers: int | None) -> None:
        try:
            import ray  # the `cluster` extra
        except ModuleNotFoundError:
            raise OptionError(f"--cluster {cluster} needs Ray, which is not installed here: "
                              "pip install 'xenmodel[cluster]'") from None
        self.ray: Any = ray  # typed loosely: Ray's own annotations are partial
        local = cluster == "ray"
        if not local and not cluster.startswith("ray://"):
            raise OptionError(f"--cluster {cluster}: expected `ray` (a local Ray) or `ray://HOST:PORT`")
        if not local:
            _reachable(cluster)
        try:
            if local:
                ray.init(num_cpus=max(workers or 1, os.cpu_count() or 1), include_dashboard=False,
                         log_to_driver=False, configure_logging=False)
            else:
                ray.init(address=cluster, log_to_driver=False, configure_logging=False)
        except Exception as err:  # noqa: BLE001 - Ray raises many kinds here; every one means "no cluster"
            ray.shutdown()
            raise OptionError(f"--cluster {cluster}: cannot start or reach Ray ({type(err).__name__}: {err})") from None
        self.n = workers or max(1, int(self.ray.cluster_resources().get("CPU", 1)))
        self.name = f"Ray, {self.n} actors"
        self.actors: list[Any] = []

    def start(self, model: ir.Model, symmetry: bool, deadlock: bool) -> _Replies:
        remote = self.ray.remote(num_cpus=1)(PartitionActor)
        blob = self.ray.put(pickle.dumps(model))
        self.actors = [remote.remote(blob, w, self.n, symmetry, deadlock) for w in range(self.n)]
        return _Replies(self.ray, [a.notes.remote() for a in self.actors])

    def level(self) -> _Replies:
        n = self.n
        out = [a.expand.options(num_returns=n).remote() for a in self.actors]
        sent = [o if n > 1 else [o] for o in out]  # sent[w][j]: what partition w sends to partition j
        keys = [a.absorb.remote(*[sent[w][j] for w in range(n)]) for j, a in enumerate(self.actors)]
        return _Replies(self.ray, [a.settle.remote(*keys) for a in self.actors])

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> _Replies:
        return _Replies(self.ray, [None if x is None else a.call.remote(method, *x)
                                   for a, x in zip(self.actors, args, strict=True)])

    def close(self) -> None:
        for a in self.actors:
            try:
                self.ray.kill(a)
            except Exception:  # noqa: BLE001, S110 - an actor already gone is what close wants
                pass
        self.actors = []
        self.ray.shutdown()
