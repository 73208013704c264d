"""Writes so101.json, the hand-written recording for agents on the SO-101, from the arm's expert
programs (resources/experts/so101/): turn 1 of each task is flawed on purpose, the later turns are
the expert programs. Run it after changing those programs: python3 build_so101.py"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPERTS = HERE.parent.parent / 'experts' / 'so101'


def without_header(source):
    """The program without its leading comment block (the expert's description of itself)."""
    lines = source.split('\n')
    while lines and lines[0].startswith('#'):
        lines.pop(0)
    return '\n'.join(lines)


def fence(text, code):
    return f"{text}\n```python\n{code}```"


lift = (EXPERTS / 'cube-lift.py').read_text()
stack = (EXPERTS / 'cube-stack.py').read_text()
# cube-lift, turn 1: the jaws close 3 cm above where plan_grasp says (they close on air).
lift_flawed = lift.replace("move_tool_to(at, quat)\nwidth = close_gripper()",
                           "move_tool_to([at[0], at[1], at[2] + 0.03], quat)  # stay clear of the table\nwidth = close_gripper()")
assert lift_flawed != lift
lift_flawed = "# Lift the red cube: find it by colour, grasp it from above, lift it and show it to the camera.\n" + without_header(lift_flawed)
# cube-stack, turn 1: a keyword argument plan_grasp does not take.
stack_flawed = stack.replace("grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], red)",
                             "grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], red, approach='top')")
assert stack_flawed != stack
stack_flawed = "# Stack the red cube on the green one, both found by colour in the camera image.\n" + without_header(stack_flawed)

exchanges = []
for title, flawed, fixed, first, second, moved in [
    ('Cube lift', lift_flawed, lift, 'I will find the red cube by colour, grasp it from above and lift it.',
     'The rehearsal shows the jaws closed without the cube: I closed them 3 cm above the grasp height. This time I close them at the height plan_grasp gives, check the width, and tip the wrist so the camera sees the cube.', 'cube'),
    ('Cube stack', stack_flawed, stack, 'I will find both cubes by colour, grasp the red one and set it on the green one.',
     'plan_grasp takes no approach argument; I call it with the depth image, the intrinsics and the mask only.', 'cube_red'),
]:
    regex = f"# Task: {title}[\\s\\S]*SO-101 arm"
    exchanges += [
        {"match": {"regex": regex, "turn": 1}, "response": {"text": fence(first, flawed)},
         "note": f"{title}, turn 1: a flawed program on purpose; its rehearsal on the twin fails, so the real arm must not move"},
        {"match": {"regex": regex, "user": "The real arm did not move"}, "response": {"text": fence(second, fixed)},
         "note": f"{title}: after a rehearsal that did not go ahead, the SO-101's expert program"},
        {"match": {"regex": regex, "user": f"- {moved}: did not move"}, "response": {"text": fence('The camera saw nothing move: I try again, re-perceiving first.', fixed)},
         "note": f"{title}: the arm ran but the camera saw the object stay put: the expert program again"},
        {"match": {"regex": regex}, "response": {"text": "The camera saw the object moved as the task needs.\nFINISH"},
         "note": f"{title}: after a real run in which the object moved"},
    ]
# CaP-Agent0 on cube-lift with --candidates 3 (temperatures 0.1, 0.5, 0.9): first in the list, so
# the candidates' requests (matched by temperature) and the synthesis are answered before the
# entries above; after the real run every candidate and the synthesis say FINISH (the last entry).
lift_regex = "# Task: Cube lift[\\s\\S]*SO-101 arm"
exchanges = [
    {"match": {"regex": lift_regex, "turn": 1, "temperature": 0.1},
     "response": {"text": fence('I will grasp the red cube from just above it and lift it.', lift_flawed)},
     "note": "agent0 cube-lift, candidate 1: the flawed program (the jaws close 3 cm above the cube); rehearsed, it fails"},
    {"match": {"regex": lift_regex, "turn": 1, "temperature": 0.5},
     "response": {"text": fence('I will find the red cube by colour, grasp it where plan_grasp says and lift it.', lift)},
     "note": "agent0 cube-lift, candidate 2: the SO-101's expert program"},
    {"match": {"regex": lift_regex, "turn": 1, "temperature": 0.9},
     "response": {"text": "I would first look for the red cube, then decide how to reach it."},
     "note": "agent0 cube-lift, candidate 3: no program at all"},
    {"match": {"regex": lift_regex, "turn": 2, "user": "## SYNTHESIS"},
     "response": {"text": fence('Candidate 2 grasps at the height plan_grasp gives; candidate 1 closes above the cube and candidate 3 has no program. Candidate 2:', lift)},
     "note": "agent0 cube-lift, the synthesis: candidate 2's program"},
] + exchanges

recording = {
    "label": "recording: hand-written replies for agents on the SO-101 (virtual bench, tiers S3/M4): turn 1 of each task is flawed on purpose (cube-lift closes the jaws above the cube; cube-stack passes plan_grasp an argument it does not take), the later turns are the SO-101's expert programs; agent0's three cube-lift candidates are the flawed program, the expert program and no program, and its synthesis picks the expert's; not a live model",
    "exchanges": exchanges,
}
(HERE / 'so101.json').write_text(json.dumps(recording, indent=2) + '\n')
