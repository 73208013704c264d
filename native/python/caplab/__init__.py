"""Caplab's policy runtime: the robot API as Python functions.

A policy program run by Caplab finds every robot API function of its tier as a global (for
example ``move_to_pose``); ``from caplab import move_to_pose`` works too. The functions, their
docstrings and their argument checks come from the one API spec on the host
(``shared/api/spec.ts``). Errors are the classes in ``caplab.errors``.
"""

from .images import Image
from .errors import (ApiArgumentError, IKError, MotionError, PolicyServerError, PolicyServerTimeout, RobotApiError,
                     RobotError, RunCancelled, SafetyStop, UnknownFunctionError, UnknownObjectError)

__all__ = ['Image', 'ApiArgumentError', 'IKError', 'MotionError', 'PolicyServerError', 'PolicyServerTimeout',
           'RobotApiError', 'RobotError', 'RunCancelled', 'SafetyStop', 'UnknownFunctionError', 'UnknownObjectError']
