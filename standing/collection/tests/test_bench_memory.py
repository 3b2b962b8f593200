from standing.collection.bench import _peak_rss_mb


def test_the_exports_peak_memory_is_the_peak_while_it_ran():
    """The high-water mark is reset before the measured work: a 64 MB allocation inside it
    shows, and a later small task does not report that earlier peak."""
    big = _peak_rss_mb(lambda: bytearray(64 * 1024 * 1024))
    small = _peak_rss_mb(lambda: bytearray(1024))
    assert big >= small + 50
