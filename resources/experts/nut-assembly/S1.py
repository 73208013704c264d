# Human-expert reference program for nut-assembly at tiers S1 and S2 (high-level API; at S2 the same calls answer from the cameras).
# Hold the nut by its handle; carry it so that its hole is over the peg; lower it to the table.
# Careful: the nut can shift and sag in the grasp, so its hole is looked up again once it is in the
# air and again just above the peg, and the gripper is moved by the remaining error each time.
PEG_TOP_M = 0.10
NUT_HALF_M = 0.01

nut, _ = get_object_pose('nut')
peg, _ = get_object_pose('peg')
grasp, quat = sample_grasp_pose('nut handle')
print('hole is', [round(nut[i] - grasp[i], 3) for i in (0, 1)], 'm from the handle grasp')

open_gripper()
goto_pose(grasp, quat, z_approach_m=0.1)
if close_gripper() < 0.005:
    raise RuntimeError('missed the handle')
carry_z = PEG_TOP_M + 0.06
move_to_pose([grasp[0], grasp[1], carry_z], quat)


def align_over_peg(z):
    """Move the gripper so that the nut's hole (as it hangs now) is over the peg, at height z."""
    for _ in range(3):
        hole, _ = get_object_pose('nut')
        ee, _ = get_ee_pose()
        error = [peg[0] - hole[0], peg[1] - hole[1]]
        move_to_pose([ee[0] + error[0], ee[1] + error[1], z], quat)
        if abs(error[0]) < 0.001 and abs(error[1]) < 0.001:
            break


align_over_peg(carry_z)
# Just above the peg top: the nut's bottom clears it by 1.5 cm; align again, then go down.
hole, _ = get_object_pose('nut')
ee, _ = get_ee_pose()
sag = ee[2] - hole[2]
align_over_peg(PEG_TOP_M + NUT_HALF_M + 0.015 + sag)
ee, _ = get_ee_pose()
try:
    move_to_pose([ee[0], ee[1], NUT_HALF_M + sag + 0.004], quat)
except RuntimeError:  # MotionError (a RuntimeError): the name is not in the program's namespace
    print('the nut came to rest before the gripper reached the bottom')
open_gripper()
ee, _ = get_ee_pose()
move_to_pose([ee[0], ee[1], carry_z], quat)
print('nut on the peg')
