# Send NaN to the robot.
move_to_pose([0.4, float('nan'), 0.3], [0.0, 1.0, 0.0, 0.0])
