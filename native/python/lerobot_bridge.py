"""A bridge from Caplab's HTTP JSON policy-server variant to LeRobot's async inference server.

LeRobot's policy server (``lerobot.async_inference.policy_server``, read at lerobot @ 7427f31)
speaks gRPC (service ``transport.AsyncInference``: ``Ready``, ``SendPolicyInstructions``,
``SendObservations``, ``GetActions``) with *pickled* payloads: a ``RemotePolicyConfig``, each
``TimedObservation`` (in chunks of 2 MB), and the reply, a list of ``TimedAction`` whose actions
are torch tensors. Caplab's host never unpickles anything; this bridge is a separate process the
user installs and starts in their LeRobot environment, next to the server:

    pip install grpcio            # and lerobot (with torch), as for LeRobot's own robot client
    python3 native/python/lerobot_bridge.py --config bridge.json --port 8100
    caplab run --task … --program … --vla http://127.0.0.1:8100

SECURITY: unpickling runs code. The bridge unpickles whatever the LeRobot server answers, so
point it only at a server you run yourself; it listens on loopback only.

The configuration (JSON) says what the policy was trained with: ``server`` (host:port),
``policy_type``, ``pretrained_name_or_path``, ``actions_per_chunk``, ``device``, ``state`` (the
robot's motor keys in Caplab's joint order, gripper last, e.g. ``"shoulder_pan.pos"``, with
``scale``: the factor from Caplab's radians, and the gripper fraction, to the motor unit and
``offset``), and ``cameras`` (Caplab observation key -> LeRobot camera name, with its
``[height, width]``). Actions come back in the same units and are converted back.
"""

import argparse
import base64
import json
import pickle  # nosec: see SECURITY above
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK_BYTES = 2 * 1024 * 1024
SERVICE = '/transport.AsyncInference/'
TRANSFER_BEGIN, TRANSFER_MIDDLE, TRANSFER_END = 1, 2, 3


def _varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def encode_message(fields):
    """A protobuf message of (field number, int or bytes) pairs: the few LeRobot's service uses."""
    out = bytearray()
    for number, value in fields:
        if isinstance(value, int):
            out += _varint(number << 3) + _varint(value)
        else:
            out += _varint(number << 3 | 2) + _varint(len(value)) + value
    return bytes(out)


def decode_bytes_field(message, wanted=1):
    """The bytes of field ``wanted`` (length-delimited) of a protobuf message; b'' when absent."""
    at = 0
    while at < len(message):
        key, at = _read_varint(message, at)
        number, kind = key >> 3, key & 7
        if kind == 0:
            _, at = _read_varint(message, at)
        elif kind == 2:
            length, at = _read_varint(message, at)
            if number == wanted:
                return message[at:at + length]
            at += length
        else:
            raise ValueError(f'unexpected protobuf wire type {kind}')
    return b''


def _read_varint(data, at):
    shift = value = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def observation_chunks(payload):
    """``Observation`` messages carrying ``payload`` in 2 MB pieces, as LeRobot's client sends them."""
    for start in range(0, max(1, len(payload)), CHUNK_BYTES):
        end = start + CHUNK_BYTES
        state = TRANSFER_END if end >= len(payload) else (TRANSFER_BEGIN if start == 0 else TRANSFER_MIDDLE)
        yield encode_message([(1, state), (2, payload[start:end])])


def array_of(value):
    """An array dict of the JSON variant (``__ndarray__``, base64 ``data``, ``dtype``, ``shape``) as numpy."""
    import numpy as np
    return np.frombuffer(base64.b64decode(value['data']), dtype=np.dtype(value['dtype'])).reshape(value['shape'])


class LeRobotClient:
    """The gRPC side: policy instructions once, then one observation and its action chunk at a time."""

    def __init__(self, config, grpc_module, helpers, features_of):
        self.config = config
        self.helpers = helpers
        self.channel = grpc_module.insecure_channel(config['server'])
        same = {'request_serializer': lambda m: m, 'response_deserializer': lambda b: b}
        self.ready = self.channel.unary_unary(SERVICE + 'Ready', **same)
        self.instruct = self.channel.unary_unary(SERVICE + 'SendPolicyInstructions', **same)
        self.send = self.channel.stream_unary(SERVICE + 'SendObservations', **same)
        self.get_actions = self.channel.unary_unary(SERVICE + 'GetActions', **same)
        self.timestep = 0
        self.lock = threading.Lock()
        self.features_of = features_of

    def start(self, timeout_s=10.0):
        self.ready(b'', timeout=timeout_s)
        policy = self.helpers.RemotePolicyConfig(
            policy_type=self.config['policy_type'], pretrained_name_or_path=self.config['pretrained_name_or_path'],
            lerobot_features=self.features_of(self.observation_features()),
            actions_per_chunk=self.config['actions_per_chunk'], device=self.config.get('device', 'cpu'))
        self.instruct(encode_message([(1, pickle.dumps(policy))]), timeout=timeout_s)

    def observation_features(self):
        """What LeRobot's robot would declare: each motor key a float, each camera (height, width, 3)."""
        features = {entry['key']: float for entry in self.config['state']}
        for camera in self.config.get('cameras', {}).values():
            features[camera['name']] = (*camera['shape'], 3)
        return features

    def infer(self, observation, timeout_s):
        """Caplab's observation in, ``{'actions': [[...], ...]}`` (Caplab's units) out."""
        raw = self.raw_observation(observation)
        with self.lock:
            self.timestep += 1
            timed = self.helpers.TimedObservation(timestamp=time.time(), timestep=self.timestep, observation=raw, must_go=True)
            self.send(observation_chunks(pickle.dumps(timed)), timeout=timeout_s)
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                data = decode_bytes_field(self.get_actions(b'', timeout=timeout_s))
                if data:
                    return {'actions': [self.caplab_action(timed_action.get_action()) for timed_action in pickle.loads(data)]}  # nosec
            raise TimeoutError(f'the LeRobot server sent no actions within {timeout_s} s')

    def raw_observation(self, observation):
        joints = list(array_of(observation[self.config.get('joints_key', 'observation/joint_position')]).reshape(-1))
        gripper = float(array_of(observation[self.config.get('gripper_key', 'observation/gripper_position')]).reshape(-1)[0])
        raw = {entry['key']: float(value * entry.get('scale', 1.0) + entry.get('offset', 0.0)) for entry, value in zip(self.config['state'], joints + [gripper])}
        for key, camera in self.config.get('cameras', {}).items():
            raw[camera['name']] = array_of(observation[key])
        raw['task'] = observation.get(self.config.get('prompt_key', 'prompt'), '')
        return raw

    def caplab_action(self, action):
        values = action.tolist() if hasattr(action, 'tolist') else list(action)
        return [(value - entry.get('offset', 0.0)) / entry.get('scale', 1.0) for entry, value in zip(self.config['state'], values)]


def serve(client, port, timeout_s):
    """Caplab's HTTP JSON variant on loopback: GET /metadata, POST /infer."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != '/metadata':
                return self._reply(404, {'error': 'not found'})
            return self._reply(200, {'policy': client.config['policy_type'], 'bridge': 'lerobot-async-inference',
                                     'control_hz': client.config.get('control_hz', 30)})

        def do_POST(self):
            if self.path != '/infer':
                return self._reply(404, {'error': 'not found'})
            observation = json.loads(self.rfile.read(int(self.headers.get('content-length', 0))))
            try:
                return self._reply(200, client.infer(observation, timeout_s))
            except Exception as error:  # the host shows the message as a PolicyServerError
                return self._reply(502, {'error': f'{type(error).__name__}: {error}'})

        def _reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('content-type', 'application/json')
            self.send_header('content-length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(('127.0.0.1', port), Handler)
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', required=True)
    parser.add_argument('--port', type=int, default=8100)
    parser.add_argument('--timeout-s', type=float, default=10.0)
    args = parser.parse_args(argv)
    try:
        import grpc
        from lerobot.async_inference import helpers
        from lerobot.utils.feature_utils import hw_to_dataset_features
    except ImportError as error:
        sys.exit(f'lerobot_bridge needs grpcio and lerobot (with torch) in this Python: {error}')
    with open(args.config, encoding='utf-8') as file:
        config = json.load(file)
    client = LeRobotClient(config, grpc, helpers, lambda features: hw_to_dataset_features(features, 'observation', use_video=False))
    client.start(args.timeout_s)
    server = serve(client, args.port, args.timeout_s)
    print(f'LeRobot bridge: http://127.0.0.1:{server.server_address[1]} -> {config["server"]} ({config["policy_type"]})', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
