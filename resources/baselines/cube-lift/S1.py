# Naive baseline for cube-lift at tiers S1 and S2 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (the fingers keep yaw 0 whatever the cube's turn), the grasp check (it lifts
# whether or not the jaws hold the cube), and any second look. One look, then open loop.
DOWN = [0.0, 1.0, 0.0, 0.0]  # fingers pointing down, yaw 0

position, _ = get_object_pose('cube')
x, y, z = position
open_gripper()
goto_pose([x, y, z], DOWN, z_approach_m=0.1)
close_gripper()
move_to_pose([x, y, z + 0.2], DOWN)
print('lifted (not checked)')
