"""The LeRobot bridge: its protobuf and chunking (standard library), and, where grpcio and numpy are
importable, the whole bridge against a stand-in of LeRobot's async inference server over real gRPC.

The stand-in is not LeRobot (which needs torch, not installable here): it unpickles what the bridge
sends into look-alikes of LeRobot's dataclasses and answers a pickled chunk, as the real one does.
"""

import base64
import json
import pickle
import threading
import unittest
import urllib.request
from concurrent import futures
from dataclasses import dataclass, field

import lerobot_bridge as bridge

try:
    import grpc
    import numpy as np
except ImportError:  # the bridge's own machine has them; this one may not
    grpc = None
    np = None


@dataclass
class TimedObservation:
    timestamp: float
    timestep: int
    observation: dict
    must_go: bool = False


@dataclass
class TimedAction:
    timestamp: float
    timestep: int
    action: object

    def get_action(self):
        return self.action


@dataclass
class RemotePolicyConfig:
    policy_type: str
    pretrained_name_or_path: str
    lerobot_features: dict
    actions_per_chunk: int
    device: str = 'cpu'
    rename_map: dict = field(default_factory=dict)


class Helpers:
    TimedObservation = TimedObservation
    TimedAction = TimedAction
    RemotePolicyConfig = RemotePolicyConfig


class WireTest(unittest.TestCase):
    def test_protobuf_fields_round_trip(self):
        message = bridge.encode_message([(1, 3), (2, b'x' * 300)])
        self.assertEqual(message[:2], b'\x08\x03')
        self.assertEqual(bridge.decode_bytes_field(message, 2), b'x' * 300)
        self.assertEqual(bridge.decode_bytes_field(b''), b'')

    def test_observations_travel_in_2_mb_pieces_with_transfer_states(self):
        pieces = list(bridge.observation_chunks(b'\0' * (5 * 1024 * 1024)))
        states = [piece[1] for piece in pieces]
        self.assertEqual(states, [bridge.TRANSFER_BEGIN, bridge.TRANSFER_MIDDLE, bridge.TRANSFER_END])
        self.assertEqual(sum(len(bridge.decode_bytes_field(p, 2)) for p in pieces), 5 * 1024 * 1024)


class StandInServer:
    """LeRobot's AsyncInference as generic gRPC handlers: instructions, observations, a chunk back."""

    def __init__(self):
        self.policy = None
        self.observations = []
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        same = {'request_deserializer': lambda b: b, 'response_serializer': lambda m: m}
        handlers = {
            'Ready': grpc.unary_unary_rpc_method_handler(lambda request, context: b'', **same),
            'SendPolicyInstructions': grpc.unary_unary_rpc_method_handler(self.instructions, **same),
            'SendObservations': grpc.stream_unary_rpc_method_handler(self.receive, **same),
            'GetActions': grpc.unary_unary_rpc_method_handler(self.actions, **same),
        }
        self.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler('transport.AsyncInference', handlers),))
        self.port = self.server.add_insecure_port('127.0.0.1:0')
        self.server.start()

    def instructions(self, request, context):
        self.policy = pickle.loads(bridge.decode_bytes_field(request))
        return b''

    def receive(self, pieces, context):
        self.observations.append(pickle.loads(b''.join(bridge.decode_bytes_field(piece, 2) for piece in pieces)))
        return b''

    def actions(self, request, context):
        if not self.observations:
            return b''
        observation = self.observations[-1]
        state = np.array([observation.observation['shoulder_pan.pos'], observation.observation['gripper.pos']])
        chunk = [TimedAction(observation.timestamp, observation.timestep + k, state + k) for k in range(3)]
        return bridge.encode_message([(1, pickle.dumps(chunk))])


def ndarray(values, dtype='<f4'):
    array = np.asarray(values, dtype=np.dtype(dtype))
    return {'__ndarray__': True, 'data': base64.b64encode(array.tobytes()).decode(), 'dtype': array.dtype.str, 'shape': list(array.shape)}


@unittest.skipIf(grpc is None, 'grpcio and numpy are not importable here')
class BridgeTest(unittest.TestCase):
    def test_an_observation_goes_to_lerobot_and_its_chunk_comes_back_in_caplab_units(self):
        lerobot = StandInServer()
        config = {
            'server': f'127.0.0.1:{lerobot.port}', 'policy_type': 'act', 'pretrained_name_or_path': 'lab/act-so101',
            'actions_per_chunk': 3, 'control_hz': 20,
            'state': [{'key': 'shoulder_pan.pos', 'scale': 57.29577951308232}, {'key': 'gripper.pos', 'scale': -100, 'offset': 100}],
            'cameras': {'observation/exterior_image_1_left': {'name': 'front', 'shape': [2, 2]}},
        }
        client = bridge.LeRobotClient(config, grpc, Helpers, lambda features: {'declared': sorted(features)})
        client.start()
        self.assertEqual(lerobot.policy.lerobot_features, {'declared': ['front', 'gripper.pos', 'shoulder_pan.pos']})
        server = bridge.serve(client, 0, 5.0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f'http://127.0.0.1:{server.server_address[1]}'
            with urllib.request.urlopen(f'{url}/metadata') as response:
                self.assertEqual(json.load(response)['control_hz'], 20)
            observation = {
                'prompt': 'pick up the cube',
                'observation/joint_position': ndarray([0.5]),
                'observation/gripper_position': ndarray([0.25]),
                'observation/exterior_image_1_left': ndarray(np.zeros((2, 2, 3)), '|u1'),
            }
            request = urllib.request.Request(f'{url}/infer', data=json.dumps(observation).encode(), headers={'content-type': 'application/json'})
            with urllib.request.urlopen(request) as response:
                actions = json.load(response)['actions']
        finally:
            server.shutdown()
            server.server_close()
            client.channel.close()
            lerobot.server.stop(None)
        sent = lerobot.observations[0]
        self.assertTrue(sent.must_go)
        self.assertEqual(sent.observation['task'], 'pick up the cube')
        self.assertAlmostEqual(sent.observation['shoulder_pan.pos'], 28.6479, places=3)  # degrees
        self.assertAlmostEqual(sent.observation['gripper.pos'], 75.0, places=4)  # 0 closed … 100 open
        self.assertEqual(sent.observation['front'].shape, (2, 2, 3))
        self.assertEqual(len(actions), 3)
        for k, (shoulder, gripper) in enumerate(actions):
            self.assertAlmostEqual(shoulder, 0.5 + k / 57.29577951308232, places=5)
            self.assertAlmostEqual(gripper, 0.25 - k / 100, places=5)


if __name__ == '__main__':
    unittest.main()
