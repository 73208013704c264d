// The twin's arm models: every kind's URDF parses with the renderer's loader, and the joints its
// driver's angles drive are its revolute joints, in order, with the workspace box of its profile.
import URDFLoader from 'urdf-loader';
import { describe, expect, it } from 'vitest';
import { DeviceKind } from '../../../shared/ipc/contract.ts';
import { installXmlDom } from '../../../native/drivers/xml-dom.ts';
import { SO101_WORKSPACE } from '../../../native/drivers/so101/profile.ts';
import { armModel } from './arm-models.ts';

installXmlDom();

describe('arm models for the twin', () => {
  it.each(DeviceKind.options)('%s: URDF joints in the driver order, and its workspace box', (kind) => {
    const model = armModel(kind);
    const robot = new URDFLoader().parse(model.urdf);
    const revolute = Object.keys(robot.joints).filter((name) => robot.joints[name]!.jointType === 'revolute');
    expect(model.jointNames).toEqual(revolute);
    model.workspace.minM.forEach((low, i) => expect(low).toBeLessThan(model.workspace.maxM[i]!));
  });

  it('takes the workspace from the safety profile', () => {
    expect(armModel('so101').workspace).toEqual({ minM: [...SO101_WORKSPACE.minM], maxM: [...SO101_WORKSPACE.maxM] });
  });
});
