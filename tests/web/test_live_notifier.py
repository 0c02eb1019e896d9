"""The notifier wakes only the streams whose request changed, and starts its source only when needed."""

from pos.web.live.notifier import Notifier


def test_a_new_subscription_returns_at_once_so_that_its_stream_reads_after_subscribing():
    with Notifier().subscribe(["pr_A"]) as sub:
        assert sub.wait(0) is True
        assert sub.wait(0) is False


def test_a_change_to_another_request_does_not_wake_a_stream():
    notifier = Notifier()
    with notifier.subscribe(["pr_A"]) as a, notifier.subscribe(["pr_B"]) as b:
        a.wait(0), b.wait(0)
        assert notifier.notify(["pr_B", "m_1"]) == 1
        assert a.wait(0) is False and b.wait(0) is True


def test_a_wake_up_without_topics_wakes_every_stream():
    notifier = Notifier()
    with notifier.subscribe(["pr_A"]) as a, notifier.subscribe(["pr_B"]) as b:
        a.wait(0), b.wait(0)
        assert notifier.notify() == 2
        assert a.wait(0) and b.wait(0)


def test_a_wake_up_between_two_waits_is_kept_for_the_next_wait():
    notifier = Notifier()
    with notifier.subscribe(["pr_A"]) as sub:
        sub.wait(0)
        notifier.notify(["pr_A"])  # while the stream was reading
        assert sub.wait(0) is True


def test_a_closed_subscription_is_no_longer_woken():
    notifier = Notifier()
    with notifier.subscribe(["pr_A"]):
        pass
    assert notifier.notify(["pr_A"]) == 0 and notifier.notify() == 0


def test_the_source_starts_at_the_first_subscription_only_and_stops_at_close():
    notifier, calls = Notifier(), []
    notifier.set_source(lambda: calls.append("start"), lambda: calls.append("stop"))
    assert calls == []
    with notifier.subscribe(["pr_A"]) as sub, notifier.subscribe(["pr_B"]):
        sub.wait(0)
        notifier.close()
        assert sub.wait(0) is True  # woken so that its stream ends
    assert calls == ["start", "stop"] and notifier.closed


def test_the_coarse_counter_of_before_still_counts_every_wake_up():
    notifier = Notifier()
    seen = notifier.version()
    notifier.notify(["pr_nobody"])
    assert notifier.wait(seen, 0) == seen + 1
