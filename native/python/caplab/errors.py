"""Exceptions a policy program can see from robot API calls.

Each host error code (``shared/errors.ts``) maps to one class; every class also subclasses the
builtin a Python programmer would expect (a wrong argument is a ``TypeError``, an unknown object a
``LookupError``), so ordinary ``except`` clauses work.
"""


class RobotApiError(Exception):
    """Base of every error raised by a robot API call.

    Attributes: ``code`` (the host's error code), ``function`` and ``parameter`` (what the error
    concerns, when known), ``expected`` (what would have been accepted, for argument errors).
    """

    code = 'backend_error'

    def __init__(self, message, function=None, parameter=None, expected=None):
        super().__init__(message)
        self.function = function
        self.parameter = parameter
        self.expected = expected


class ApiArgumentError(RobotApiError, TypeError):
    """An argument does not match the function's declared type or range."""

    code = 'invalid_argument'


class UnknownFunctionError(RobotApiError, AttributeError):
    """The function does not exist, or is not available at this tier."""

    code = 'unknown_function'


class UnknownObjectError(RobotApiError, LookupError):
    """No object of that name is in the scene."""

    code = 'unknown_object'


class IKError(RobotApiError, RuntimeError):
    """No joint angles reach the requested pose."""

    code = 'ik_failed'


class MotionError(RobotApiError, RuntimeError):
    """A move did not converge in time (blocked, or out of reach)."""

    code = 'motion_timeout'


class SafetyStop(RobotApiError, RuntimeError):
    """The safety supervisor stopped the robot or refused the motion."""

    code = 'safety_stop'


class RobotError(RobotApiError, RuntimeError):
    """The robot backend failed while serving the call."""

    code = 'backend_error'


class PolicyServerError(RobotApiError, RuntimeError):
    """A VLA policy server answered with something that is not an action chunk (run_vla)."""

    code = 'policy_server_error'


class PolicyServerTimeout(PolicyServerError, TimeoutError):
    """A VLA policy server did not answer in time (run_vla); the arm held meanwhile."""

    code = 'policy_server_timeout'


class RunCancelled(KeyboardInterrupt):
    """The operator (or a limit) cancelled the run."""

    code = 'cancelled'

    def __init__(self, message, function=None, parameter=None, expected=None):
        super().__init__(message)
        self.function = function
        self.parameter = parameter
        self.expected = expected


class ResourceLimitExceeded(BaseException):
    """The program used more CPU time than the run allows (raised by the runner, not the API)."""


ERROR_CLASSES = {
    cls.code: cls
    for cls in (ApiArgumentError, UnknownFunctionError, UnknownObjectError, IKError, MotionError,
                SafetyStop, RobotError, PolicyServerError, PolicyServerTimeout, RunCancelled)
}


def error_from_wire(error):
    """The exception to raise for a wire error ``{code, message, function?, parameter?, expected?}``."""
    cls = ERROR_CLASSES.get(error.get('code'), RobotError)
    return cls(error.get('message', 'robot API error'), error.get('function'), error.get('parameter'),
               error.get('expected'))
