/** Sliders for the movable joints of an imported URDF (it arrives with every joint at zero). */
import { useState } from 'react';
import { movableJoints, type UrdfRobot } from '../../twin/urdf.ts';

export function UrdfSliders({ robot }: { robot: UrdfRobot }): React.JSX.Element {
  const joints = movableJoints(robot);
  const [values, setValues] = useState<Record<string, number>>({});
  const move = (name: string, value: number): void => {
    robot.setJointValue(name, value);
    setValues((v) => ({ ...v, [name]: value }));
  };
  return (
    <div className="toolbar" data-testid="twin-urdf-sliders">
      {joints.map((joint) => (
        <label key={joint.name} title={`${joint.lower.toFixed(2)} … ${joint.upper.toFixed(2)}`}>
          {joint.name}{' '}
          <input
            type="range"
            data-testid="twin-urdf-slider"
            data-joint={joint.name}
            min={joint.lower}
            max={joint.upper}
            step={(joint.upper - joint.lower) / 200}
            value={values[joint.name] ?? 0}
            onChange={(e) => move(joint.name, Number(e.target.value))}
          />{' '}
          {(values[joint.name] ?? 0).toFixed(2)}
        </label>
      ))}
    </div>
  );
}
