# A hybrid program for cube-stack (tiers S1 and S2): a VLA policy does the grasp, the code does the
# rest. run_vla hands the arm to the policy server for up to 10 s; the code then checks the result
# itself (a policy can fail) and places the red cube on the green cube with the high-level API.
CUBE_M = 0.05

result = run_vla('pick up the red cube', 10)
print('run_vla:', result['stop_reason'], 'after', result['steps'], 'steps,', result['chunks'], 'chunks,',
      result['robot_time_s'], 's of robot time')

red, _ = get_object_pose('cube_red')
gripper, quat = get_ee_pose()
if close_gripper() < 0.01 or red[2] < CUBE_M:
    raise RuntimeError(f"the VLA policy did not lift the red cube ({result['stop_reason']}; red cube at z = {red[2]:.3f} m)")

# Set the red cube 3 mm above the green cube's top, keeping how the policy holds it.
green, _ = get_object_pose('cube_green')
hold = [g - r for g, r in zip(gripper, red)]
place = [green[0] + hold[0], green[1] + hold[1], green[2] + CUBE_M + 0.003 + hold[2]]
goto_pose(place, quat, z_approach_m=0.1)
open_gripper()
move_to_pose([place[0], place[1], place[2] + 0.12], quat)
print('stacked')
