# Human-expert reference program for two-arm-lift at tiers S1 and S2 (high-level API; at S2 the same calls answer from the cameras).
# Each arm takes the handle on its side; both lift together so that the pot stays level.
LIFT_M = 0.15

grasps = {arm: sample_grasp_pose('pot handle', arm=arm) for arm in ('left', 'right')}
for arm, (position, quat) in grasps.items():
    print(arm, 'handle at', [round(v, 3) for v in position])
    open_gripper(arm=arm)
# Approach and descend with both arms at once.
for arm, (position, quat) in grasps.items():
    goto_pose([position[0], position[1], position[2] + 0.1], quat, arm=arm, wait=False)
wait_for_motion()
for arm, (position, quat) in grasps.items():
    goto_pose(position, quat, arm=arm, wait=False)
wait_for_motion()
for arm in grasps:
    if close_gripper(arm=arm) < 0.005:
        raise RuntimeError(f'the {arm} arm missed its handle')
for arm, (position, quat) in grasps.items():
    move_to_pose([position[0], position[1], position[2] + LIFT_M], quat, arm=arm, wait=False)
wait_for_motion()
print('lifted')
