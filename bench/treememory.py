"""Resident memory of a process and all its descendants, sampled from /proc
(the kernel keeps no high-water mark for a tree: each process has its own,
and a sum of peaks would overstate it). Used by bench/compare.py and
bench/batch_bench.py."""
import os
import re
import threading

PAGE = os.sysconf("SC_PAGE_SIZE")
SANDBOXED = (b"bwrap", b"child.py")   # command lines of the processes that run student code


class TreeMemory(threading.Thread):
    """Samples the resident memory of `root` and all its descendants every `interval` s."""

    def __init__(self, root, interval=0.05):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak = 0            # bytes: the whole tree
        self.judge_peak = 0      # bytes: the tree without sandboxed children (student code)
        self.root_hwm = 0        # bytes: the root process's own high-water mark (the kernel's VmHWM)
        self.processes = {}      # (pid, command line) -> its largest resident size seen
        self.cpu = 0.0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join()
        self.sample()
        return self

    def largest(self, match):
        """The largest resident size seen of one process whose (pid, command) satisfies `match`."""
        return max((rss for (pid, cmd), rss in self.processes.items() if match(pid, cmd)), default=0)

    def sample(self):
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as f:
                        parents[int(entry)] = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        children = {}
        for pid, parent in parents.items():
            children.setdefault(parent, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        total = judge = 0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/statm", "rb") as f:
                    rss = int(f.read().split()[1]) * PAGE
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
            except (OSError, IndexError, ValueError):
                continue
            total += rss
            if not any(mark in cmd for mark in SANDBOXED):
                judge += rss
            # By pid and command: a forked child is its parent's copy until it calls exec.
            key = (pid, cmd.replace(b"\0", b" ").decode("utf-8", "replace"))
            self.processes[key] = max(self.processes.get(key, 0), rss)
        self.peak, self.judge_peak = max(self.peak, total), max(self.judge_peak, judge)
        try:
            with open(f"/proc/{self.root}/status") as f:
                hwm = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            self.root_hwm = max(self.root_hwm, int(hwm.group(1)) * 1024 if hwm else 0)
        except OSError:
            pass
