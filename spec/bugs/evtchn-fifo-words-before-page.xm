/// Bug variant (XSA-359: FIFO event channels control structure ordering): add_page_to_event_array
/// raises num_evtchns before the new page is in event_array[] (in Xen the reader lacked the barrier
/// that orders its two reads; written here as the writes' order), so evtchn_fifo_word_from_port may
/// return a word in a page that is not there (in Xen: a NULL-based write from set_pending).
/// The one change: expand_array's two writes are swapped.
/// Breaks: evtchn_fifo_words_mapped (properties.md D52).
/// Expected shortest trace: 3 steps (a domain initialises its control block in two steps, then starts
/// expand_array), at `small`.
model evtchn_fifo_words_before_page

include "../evtchn_fifo.xm"

/// The first write is num_evtchns.
@ref("xen/common/event_fifo.c:add_page_to_event_array")
override proc evtchn_fifo_array_first_write(d: Dom) {
    evtchn_fifo_words[d] := evtchn_fifo_words[d] + 1
}

/// The second write is the array slot.
@ref("xen/common/event_fifo.c:add_page_to_event_array")
override proc evtchn_fifo_array_second_write(d: Dom) {
    evtchn_fifo_pages[d] := evtchn_fifo_pages[d] + 1
}

/// The file's `small`.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = false }
