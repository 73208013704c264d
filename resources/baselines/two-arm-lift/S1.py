# Naive baseline for two-arm-lift at tiers S1 and S2 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (each arm keeps its own straight-ahead grip, not the handle's direction),
# the grasp checks, a second look, and the expert's paired approach: the arms reach their handles
# one after the other. The lift is one move per arm started together, open loop.
LIFT_M = 0.15
GRIP = {'left': [0.0, 1.0, 0.0, 0.0], 'right': [0.0, 0.0, 1.0, 0.0]}  # fingers down, facing across the table

handles = {arm: sample_grasp_pose('pot handle', arm=arm)[0] for arm in ('left', 'right')}
for arm, position in handles.items():
    open_gripper(arm=arm)
    goto_pose(position, GRIP[arm], z_approach_m=0.1, arm=arm)
for arm in handles:
    close_gripper(arm=arm)
for arm, position in handles.items():
    move_to_pose([position[0], position[1], position[2] + LIFT_M], GRIP[arm], arm=arm, wait=False)
wait_for_motion()
print('lifted (not checked)')
