"""The judge's Value: it stands in for the student's outside `value-backprop`.

SPEC section 2: a Value bug costs points only in `value-backprop`, so the
losses, `mlp_loss`, the gradient check and `train` are graded on this correct
micrograd Value instead. It lives with the hidden suite (and is sealed with it
in a release: it is a full solution of value.py). The child (grader/sandbox/child.py)
runs this file and calls `build` with the student's own class, only after the
items that grade value.py are done (grader/judge/student_process.py: no correct
Value may be in reach of the code those items grade): the stand-in subclasses it, so a
`losses.py` that isinstance-checks its Value still accepts it, and a
student's method outside SPEC is still there. Each operation sits beside its
local derivative, as in micrograd.
"""
import math


def build(base=None):
    """A correct Value class, a subclass of `base` when that one allows it."""
    if isinstance(base, type):
        try:
            cls = _define(base)
            probe = cls(2.0) * cls(3.0) + 1.0
            probe.backward()
            if probe.data == 7.0 and probe._prev and isinstance(probe, base):
                return cls
        except Exception:  # noqa: BLE001  (a class that cannot be subclassed this way: use the plain one)
            pass
    return _define(object)


def _define(base):
    class Value(base):
        # The student's __eq__/__hash__ (a dataclass's, say) must not change
        # how nodes are told apart in the graph.
        __eq__ = object.__eq__
        __ne__ = object.__ne__
        __hash__ = object.__hash__
        __array_ufunc__ = None   # numpy scalars defer to the reflected operations below

        def __init__(self, data, _children=(), _op='', label=''):
            self.data = data
            self.grad = 0.0
            self._backward = lambda: None
            self._prev = tuple(dict.fromkeys(_children))   # ordered: the same traversal on every run
            self._op = _op
            self.label = label

        def __repr__(self):
            return f"Value(data={self.data}, grad={self.grad})"

        @staticmethod
        def _wrap(other):
            if isinstance(other, Value):
                return other
            # a Value of the student's own class is a constant here
            # (numpy scalars have a .data too, a buffer: only a Value has a _backward)
            return Value(other.data if hasattr(other, "_backward") else other)

        def __add__(self, other):
            other = Value._wrap(other)
            out = Value(self.data + other.data, (self, other), '+')

            def _backward():
                self.grad += out.grad
                other.grad += out.grad
            out._backward = _backward
            return out

        def __mul__(self, other):
            other = Value._wrap(other)
            out = Value(self.data * other.data, (self, other), '*')

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad
            out._backward = _backward
            return out

        def __pow__(self, other):
            out = Value(self.data ** other, (self,), f'**{other}')

            def _backward():
                self.grad += other * self.data ** (other - 1) * out.grad
            out._backward = _backward
            return out

        def __neg__(self):
            return self * -1

        def __sub__(self, other):
            return self + (-Value._wrap(other))

        def __truediv__(self, other):
            return self * Value._wrap(other) ** -1

        def __radd__(self, other):
            return self + other

        def __rsub__(self, other):
            return Value._wrap(other) + (-self)

        def __rmul__(self, other):
            return self * other

        def __rtruediv__(self, other):
            return Value._wrap(other) * self ** -1

        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,), 'tanh')

            def _backward():
                self.grad += (1 - t ** 2) * out.grad
            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            out = Value(e, (self,), 'exp')

            def _backward():
                self.grad += e * out.grad
            out._backward = _backward
            return out

        def log(self):
            out = Value(math.log(self.data), (self,), 'log')

            def _backward():
                self.grad += (1 / self.data) * out.grad
            out._backward = _backward
            return out

        def relu(self):
            out = Value(self.data if self.data > 0 else 0.0, (self,), 'ReLU')

            def _backward():
                self.grad += (1.0 if self.data > 0 else 0.0) * out.grad
            out._backward = _backward
            return out

        def sigmoid(self):
            if self.data >= 0:
                s = 1 / (1 + math.exp(-self.data))
            else:
                e = math.exp(self.data)
                s = e / (1 + e)
            out = Value(s, (self,), 'sigmoid')

            def _backward():
                self.grad += s * (1 - s) * out.grad
            out._backward = _backward
            return out

        def backward(self):
            # Iterative (no recursion limit) depth-first post-order.
            topo, seen, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in seen:
                    seen.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()

    Value.__name__ = Value.__qualname__ = getattr(base, "__name__", "Value") if base is not object else "Value"
    return Value
