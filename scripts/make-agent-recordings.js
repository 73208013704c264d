// Writes the agent recordings in resources/recordings/ (run: node scripts/make-agent-recordings.js).
// They are hand-assembled replies, most of them built from the expert reference programs in
// resources/experts/ (some deliberately broken): recordings for tests and demos, not the output
// of any live model. The replay server (caplab model-server) answers from them.
import { readFileSync, writeFileSync } from 'node:fs';

const expert = (task, tier) => readFileSync(new URL(`../resources/experts/${task}/${tier}.py`, import.meta.url), 'utf8');
const tasks = ['cube-lift', 'cube-restack', 'cube-stack', 'nut-assembly', 'spill-wipe', 'two-arm-handover', 'two-arm-lift'];
const title = (task) => JSON.parse(readFileSync(new URL(`../resources/tasks/${task}.json`, import.meta.url), 'utf8')).title;
const py = (code) => `\`\`\`python\n${code.trimEnd()}\n\`\`\``;
const reply = (text) => ({ text });
const write = (path, recording) => writeFileSync(new URL(`../resources/recordings/${path}`, import.meta.url), `${JSON.stringify(recording, null, 2)}\n`);

// 1. A multi-turn episode that fixes its own error (cube-stack, M1).
const stack = expert('cube-stack', 'S1');
write('agents/multi-turn-cube-stack.json', {
  label: 'recording: hand-written replies for the multi-turn test (cube-stack); turn 1 uses a wrong keyword argument on purpose; not a live model',
  exchanges: [
    { match: { contains: '# Task: Cube stack', turn: 1 }, response: reply(`I will pick the red cube and put it on the green one.\n${py(stack.replace('goto_pose(grasp_position, grasp_quat, z_approach_m=0.12)', 'goto_pose(grasp_position, grasp_quat, approach_height=0.12)'))}`) },
    { match: { contains: '# Task: Cube stack', turn: 2, user: 'unexpected keyword argument' }, response: reply(`The parameter is called z_approach_m. Fixed:\n${py(stack)}`) },
    { match: { contains: '# Task: Cube stack', turn: 3 }, response: reply('The red cube now rests on the green cube.\nFINISH') },
  ],
});

// 1b. Feedback kinds: with images (M2) the second request must carry camera images.
write('agents/feedback-kinds.json', {
  label: 'recording: hand-written replies for the visual-feedback tests (cube-stack at M2 and M3); not a live model',
  exchanges: [
    { match: { contains: '# Task: Cube stack', turn: 1 }, response: reply(py(stack)) },
    { match: { contains: '# Task: Cube stack', turn: 2, hasImage: true }, response: reply('The images show the red cube on the green cube.\nFINISH') },
    { match: { contains: '# Task: Cube stack', turn: 2, user: 'What changed in the scene' }, response: reply('The scene change says the red cube is on the green cube.\nFINISH') },
  ],
});

// 2. CaP-Agent0 on cube-lift: 3 candidates (one broken, one too timid), a synthesis, then FINISH.
const lift = expert('cube-lift', 'S1');
write('agents/agent0-cube-lift.json', {
  label: 'recording: hand-written candidate and synthesis replies for the agent0 test (cube-lift); not a live model',
  exchanges: [
    { match: { user: '## SYNTHESIS', turn: 2 }, response: reply(`Candidates 1 and 2 agree; candidate 3 does not parse. Combined:\n${py(lift)}`) },
    { match: { user: '## SYNTHESIS', turn: 3 }, response: reply('All candidates say the cube is up.\nFINISH') },
    { match: { contains: '# Task: Cube lift', turn: 1, temperature: 0.1 }, response: reply(py(lift)) },
    { match: { contains: '# Task: Cube lift', turn: 1, temperature: 0.5 }, response: reply(py(lift.replace('LIFT_M = 0.20', 'LIFT_M = 0.01'))) },
    { match: { contains: '# Task: Cube lift', turn: 1, temperature: 0.9 }, response: reply(py('open_gripper(\nmove_to_pose([0.5, 0, 0.2]')) },
    { match: { contains: '# Task: Cube lift', turn: 2 }, response: reply('The cube was lifted 20 cm.\nFINISH') },
  ],
});

// 3. Skills: cube-lift distilled into pick_up(), reused by a later cube-stack run.
const pickUp = `import math


def pick_up(name, lift_m=0.2, approach_m=0.12):
    """Grasp the named object from above and lift it by lift_m metres.

    name: object name as in the task. lift_m: how far to lift, m. approach_m: approach height, m.
    Returns the grasp pose (position_m, quat_wxyz) the object was taken at.
    """
    position, quat = sample_grasp_pose(name)
    open_gripper()
    goto_pose(position, quat, z_approach_m=approach_m)
    if close_gripper() < 0.005:
        raise RuntimeError(f'the gripper closed on nothing at {name}')
    move_to_pose([position[0], position[1], position[2] + lift_m], quat)
    return position, quat


if __name__ == '__main__':
    pick_up('cube')
`;
const stackWithSkill = `# Uses the pick_up skill from the library.
position, quat = pick_up('cube_red', lift_m=0.15)
target, _ = get_object_pose('cube_green')
place = [target[0], target[1], target[2] + 0.053]
goto_pose(place, quat, z_approach_m=0.1)
open_gripper()
move_to_pose([place[0], place[1], place[2] + 0.12], quat)
print('stacked with pick_up')
`;
write('agents/skills.json', {
  label: 'recording: hand-written replies for the skill test (distil cube-lift into pick_up, reuse it in cube-stack); not a live model',
  exchanges: [
    { match: { user: '# Distil a skill' }, response: reply(`A reusable function:\n${py(pickUp)}`) },
    { match: { contains: '# Task: Cube lift', turn: 1 }, response: reply(py(lift)) },
    { match: { contains: 'def pick_up(name, lift_m=0.2, approach_m=0.12):', user: '# Task: Cube stack' }, response: reply(`The library has pick_up; I will use it.\n${py(stackWithSkill)}`) },
  ],
});

// 4. Answers without code.
write('agents/no-code.json', {
  label: 'recording: hand-written prose answers without a program, for the no-code test; not a live model',
  exchanges: [{ match: {}, response: reply('I would first locate the cube, then grasp it and lift it. Let me know if you want the code.') }],
});

// 5. Demo: agent0 at M4 (reduced API) on all seven tasks. Candidates at temperature >= 0.7 are broken.
const demo = [];
for (const task of tasks) {
  const program = expert(task, 'S3');
  const head = `# Task: ${title(task)}`;
  demo.push(
    { match: { contains: head, user: '## SYNTHESIS', turn: 2 }, response: reply(`Most candidates agree; combined program:\n${py(program)}`) },
    { match: { contains: head, user: '## SYNTHESIS' }, response: reply('FINISH') },
  );
  for (const t of [0.7, 0.8, 0.9]) {
    demo.push({ match: { contains: head, turn: 1, temperature: t }, response: reply(py(program.replace(/\n/, '\nraise RuntimeError("candidate gave up")\n'))) });
  }
  demo.push({ match: { contains: head, turn: 1 }, response: reply(`Here is the program.\n${py(program)}`) });
  demo.push({ match: { contains: head }, response: reply('The task looks done.\nFINISH') });
}
write('demo/agent0-all-tasks.json', {
  label: 'recording: hand-assembled from the expert reference programs (resources/experts/*/S3.py) for the agent0 demo; candidates at temperature 0.7-0.9 are broken on purpose; not a live model',
  exchanges: demo,
});
console.log('wrote resources/recordings/agents/*.json and resources/recordings/demo/agent0-all-tasks.json');
