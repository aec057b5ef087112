"""Who takes the next shift: the cycle, passed-over members, owed turns and conflicts."""

import pytest

from rota_scheduling.engine import Assignment, CycleState, assign

MEMBERS = ("A", "B", "C", "D")


def everyone(_person) -> bool:
    return True


def nobody(_person) -> bool:
    return False


def all_but(*away):
    return lambda person: person not in away


def run(policy, away_by_shift, shifts, members=MEMBERS, state=None):
    """Assign ``shifts`` shifts in turn; ``away_by_shift[i]`` is who is away for shift i."""
    state = state or CycleState.starting_at(0, len(members))
    turns = []
    for i in range(shifts):
        turn = assign(
            members=members,
            state=state,
            policy=policy,
            is_available=all_but(*away_by_shift.get(i, ())),
        )
        turns.append(turn)
        state = turn.state
    return turns


def test_spec_example_defer():
    # A B C D weekly, B away in week 1 only: B is owed and goes first once back.
    turns = run("defer", {1: {"B"}}, 6)
    assert [t.person for t in turns] == ["A", "C", "B", "D", "A", "B"]
    assert turns[1].passed_over == ("B",)
    assert turns[1].state.owed == ("B",)
    # Repaying B does not move the cycle: it still stands on C.
    assert turns[2].state == CycleState(cycle_person="C", cycle_index=2, owed=())
    assert not any(t.conflict for t in turns)


def test_spec_example_skip():
    turns = run("skip", {1: {"B"}}, 6)
    assert [t.person for t in turns] == ["A", "C", "D", "A", "B", "C"]
    assert turns[1].passed_over == ("B",)
    assert all(t.state.owed == () for t in turns)


def test_starting_at_picks_position_k_mod_n():
    state = CycleState.starting_at(6, 4)
    assert state == CycleState(cycle_person=None, cycle_index=1, owed=())
    assert assign(members=MEMBERS, state=state, policy="defer", is_available=everyone).person == "C"
    assert CycleState.starting_at(0, 4).next_position(MEMBERS) == 0
    with pytest.raises(ValueError):
        CycleState.starting_at(0, 0)


def test_the_cycle_wraps_around():
    state = CycleState(cycle_person="D", cycle_index=3)
    turn = assign(members=MEMBERS, state=state, policy="skip", is_available=everyone)
    assert turn == Assignment("A", False, (), CycleState("A", 0, ()))


def test_nobody_available_gives_the_cycle_pick_a_conflict_and_owes_nobody():
    state = CycleState(cycle_person="A", cycle_index=0, owed=("D",))
    turn = assign(members=MEMBERS, state=state, policy="defer", is_available=nobody)
    assert turn.person == "B"
    assert turn.conflict is True
    assert turn.passed_over == ()
    assert turn.state == CycleState(cycle_person="B", cycle_index=1, owed=("D",))


def test_conflict_under_skip_and_with_a_single_member():
    turn = assign(
        members=("A",), state=CycleState.starting_at(0, 1), policy="skip", is_available=nobody
    )
    assert (turn.person, turn.conflict, turn.state.owed) == ("A", True, ())


def test_owed_member_still_unavailable_stays_owed_and_the_cycle_goes_on():
    state = CycleState(cycle_person="C", cycle_index=2, owed=("B",))
    turn = assign(members=MEMBERS, state=state, policy="defer", is_available=all_but("B"))
    assert turn.person == "D"
    assert turn.passed_over == ()
    assert turn.state == CycleState(cycle_person="D", cycle_index=3, owed=("B",))


def test_owed_member_passed_again_by_the_cycle_is_owed_once():
    state = CycleState(cycle_person="A", cycle_index=0, owed=("B",))
    turn = assign(members=MEMBERS, state=state, policy="defer", is_available=all_but("B"))
    assert turn.person == "C"
    assert turn.passed_over == ("B",)
    assert turn.state.owed == ("B",)


def test_longest_owed_available_member_goes_first():
    state = CycleState(cycle_person="A", cycle_index=0, owed=("D", "C", "B"))
    turn = assign(members=MEMBERS, state=state, policy="defer", is_available=all_but("D"))
    assert turn.person == "C"
    assert turn.state == CycleState(cycle_person="A", cycle_index=0, owed=("D", "B"))


def test_owed_turns_are_repaid_in_the_order_they_were_missed():
    # B misses shift 1; D misses shift 2 while B is still away: B is repaid first.
    turns = run("defer", {1: {"B"}, 2: {"B", "D"}}, 6)
    assert [t.state.owed for t in turns[1:5]] == [("B",), ("B", "D"), ("D",), ()]
    assert [t.person for t in turns] == ["A", "C", "A", "B", "D", "B"]


def test_several_passed_over_become_owed_in_order():
    turns = run("defer", {0: {"A", "B"}}, 4)
    assert turns[0].person == "C"
    assert turns[0].passed_over == ("A", "B")
    assert turns[0].state.owed == ("A", "B")
    assert [t.person for t in turns] == ["C", "A", "B", "D"]


def test_member_who_left_hands_the_turn_to_whoever_took_their_place():
    # The cycle last landed on B (position 1); B leaves, so C now stands at position 1.
    state = CycleState(cycle_person="B", cycle_index=1)
    turn = assign(members=("A", "C", "D"), state=state, policy="skip", is_available=everyone)
    assert turn.person == "C"
    # The last member leaving wraps to the front.
    state = CycleState(cycle_person="D", cycle_index=3)
    turn = assign(members=("A", "B", "C"), state=state, policy="skip", is_available=everyone)
    assert turn.person == "A"


def test_reordered_members_continue_after_the_current_assignee():
    state = CycleState(cycle_person="B", cycle_index=1)
    turn = assign(members=("B", "D", "A", "C"), state=state, policy="skip", is_available=everyone)
    assert turn.person == "D"
    assert turn.state.cycle_index == 1


def test_new_member_joins_the_cycle_where_they_are_placed():
    state = CycleState(cycle_person="B", cycle_index=1)
    members = ("A", "B", "E", "C", "D")
    assert assign(members=members, state=state, policy="skip", is_available=everyone).person == "E"


def test_owed_members_who_left_are_dropped():
    state = CycleState(cycle_person="A", cycle_index=0, owed=("X", "C"))
    turn = assign(members=MEMBERS, state=state, policy="defer", is_available=everyone)
    assert turn.person == "C"
    assert turn.state.owed == ()
    turn = assign(members=MEMBERS, state=state, policy="defer", is_available=all_but("C"))
    assert turn.state.owed == ("C",)


def test_skip_forgets_turns_owed_under_an_earlier_defer_policy():
    state = CycleState(cycle_person="A", cycle_index=0, owed=("C",))
    turn = assign(members=MEMBERS, state=state, policy="skip", is_available=everyone)
    assert turn.person == "B"
    assert turn.state.owed == ()


def test_availability_is_asked_at_most_once_per_member():
    asked = []

    def unavailable_and_counted(person):
        asked.append(person)
        return False

    state = CycleState(cycle_person="A", cycle_index=0, owed=("C", "D"))
    assign(members=MEMBERS, state=state, policy="defer", is_available=unavailable_and_counted)
    assert sorted(asked) == sorted(MEMBERS)


@pytest.mark.parametrize(("members", "policy"), [((), "defer"), (MEMBERS, "rotate"), (MEMBERS, "")])
def test_bad_input_is_rejected(members, policy):
    with pytest.raises(ValueError):
        assign(
            members=members,
            state=CycleState(cycle_person=None, cycle_index=0),
            policy=policy,
            is_available=everyone,
        )
