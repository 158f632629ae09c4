"""The classroom hub's spawner: each learner's server and kernels run as a Unix user of their own.

JupyterHub's LocalProcessSpawner starts a server as the Unix user named like the hub user; this
subclass first creates that user (class_accounts: jupyter-<name>, no login shell, no password,
home 0700), in the spirit of The Littlest JupyterHub's user-creating spawner, and starts the server
as it, with no --allow-root, per-process memory and per-learner task limits, and its runtime folder
(kernel sockets) where only the learner can reach it. The hub must run as root to do this.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Float, Integer, List, Unicode

import class_accounts
import hub_settings

GB = 1024 ** 3


class ClassUserSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with a Unix account per learner, created on first spawn."""

    homes = Unicode("/home", config=True, help="Where learners' homes are created (jupyter-<name> in it).")
    runtime_root = Unicode("/tmp/unrolled-hub", config=True,
                           help="Runtime folders of learners whose home path is too long for a socket.")
    memory_limit_gb = Float(0.0, config=True,
                            help="Address-space cap of each learner process (RLIMIT_AS), GB; 0: none.")
    max_tasks = Integer(0, config=True, help="Processes + threads a learner may run (RLIMIT_NPROC); 0: no cap.")
    git_safe_directories = List(Unicode(), config=True,
                                help="Folders the learner's git trusts (a course repository root owns).")

    _accounts_lock: asyncio.Lock | None = None      # useradd locks /etc/passwd: one at a time

    @property
    def unix_name(self) -> str:
        """The learner's Unix user."""
        return class_accounts.unix_name(self.user.name)

    def runtime_folder(self, home: str) -> str:
        """Where this learner's kernel sockets and temporary files go."""
        return hub_settings.runtime_dir(home, self.runtime_root)

    async def create_account(self) -> None:
        """The learner's account and runtime folder (PermissionError with a message when refused)."""
        if os.geteuid() != 0:
            raise PermissionError(class_accounts.NEEDS_ROOT)
        if ClassUserSpawner._accounts_lock is None:
            ClassUserSpawner._accounts_lock = asyncio.Lock()
        async with ClassUserSpawner._accounts_lock:
            entry = await asyncio.to_thread(class_accounts.create_account, self.user.name, Path(self.homes))
        runtime = Path(self.runtime_folder(entry.pw_dir))
        if not runtime.is_relative_to(entry.pw_dir):
            class_accounts.runtime_folder(runtime, entry)
        if self.git_safe_directories:
            await asyncio.to_thread(class_accounts.trust_in_git, entry, self.git_safe_directories)

    async def start(self) -> tuple[str, int]:
        await self.create_account()
        return await super().start()

    def make_preexec_fn(self, name: str):  # noqa: ANN201
        """Become the learner's Unix user (not `name`, the hub's), then apply the limits."""
        become = set_user_setuid(self.unix_name)
        limits = class_accounts.limits_preexec(int(self.memory_limit_gb * GB), self.max_tasks)

        def preexec() -> None:
            limits()                 # as root: a raised hard limit would be refused after setuid
            become()
        return preexec

    def user_env(self, env: dict) -> dict:
        """USER, HOME of the learner's Unix user; bash for Jupyter's terminals (no login shell)."""
        entry = class_accounts.account(self.unix_name)
        home = entry.pw_dir if entry else str(Path(self.homes) / self.unix_name)
        env.update(USER=self.unix_name, HOME=home, SHELL="/bin/bash")
        env["JUPYTER_RUNTIME_DIR"] = env["TMPDIR"] = self.runtime_folder(home)
        return env
