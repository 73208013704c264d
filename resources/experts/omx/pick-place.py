# Human-expert program for an OpenMANIPULATOR-X on the bench: move a small block from one marked
# spot to another (the SO-101's pick-place task). No camera: the spots are measured on the table
# (API frame: x forward from the base, y to the left, z up, metres). Fingers down for both grasp
# and release; with four joints the gripper's heading follows the base, so DOWN holds anywhere.
PICK = [0.18, 0.08, 0.02]
PLACE = [0.18, -0.08, 0.02]
DOWN = [0, 1, 0, 0]
CLEAR_Z = 0.08

print('ready at', get_ee_pose()[0])
open_gripper()
goto_pose(PICK, DOWN, z_approach_m=CLEAR_Z - PICK[2])
width = close_gripper()
print(f'gripper closed to {width * 1000:.0f} mm')
move_to_pose([PICK[0], PICK[1], CLEAR_Z], DOWN)
goto_pose(PLACE, DOWN, z_approach_m=CLEAR_Z - PLACE[2])
open_gripper()
move_to_pose([PLACE[0], PLACE[1], CLEAR_Z], DOWN)
print('placed')
