"""Read one parsed file: resolve names through imports and scopes, and find torch usage.

One walk over the libcst tree collects bindings per scope (module, class, function, lambda,
comprehension) and the candidate nodes (calls, with-statements, loops, classes, subscript
stores, calls that are a whole expression statement). Names are resolved only after the walk,
when every binding of every scope is known, so a name bound anywhere in a function is local to
all of it, as in Python. This hand-written table replaces libcst's
QualifiedNameProvider/ScopeProvider, which cost several times the parse.

A binding is a tuple `(kind, payload, scope)`: `import` (qualified name), `expr` (assigned value),
`unpack` (value, index), `iter` (iterable, index or None), `param` (annotation), `def` (class or
function node), `other`.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

# Kinds of values an expression can have, as far as this reader can tell.
TENSOR, MODULE, OTHER, OBJECT, LOADER, UNKNOWN = "tensor", "module", "other", "object", "loader", "unknown"
JAX_ARRAY_FUNCS = ("jax.numpy.", "jax.lax.", "jax.nn.", "jax.scipy.", "jax.random.")

NON_TENSOR_FUNCS = frozenset(
    "manual_seed seed initial_seed save load no_grad enable_grad inference_mode set_grad_enabled device "
    "is_tensor is_floating_point is_complex numel get_default_dtype set_default_dtype compile set_printoptions "
    "set_num_threads get_num_threads use_deterministic_algorithms is_grad_enabled autocast finfo iinfo "
    "get_rng_state set_rng_state set_float32_matmul_precision".split())
NON_TENSOR_METHODS = frozenset(
    "item tolist size dim ndimension numel nelement numpy backward data_ptr stride is_contiguous element_size "
    "get_device is_floating_point storage untyped_storage register_hook type equal".split())
TENSOR_ATTRS = frozenset("data grad T mT H mH real imag".split())
RESULT_FIELDS = frozenset(("values", "indices"))  # x.max(dim).values, x.topk(k).indices: tensors too
MODULE_PARAMS = frozenset(("weight", "bias"))  # a torch layer's parameters: layer.weight is a tensor
# Tensor methods and attributes whose value is a Python int (x.size(i) with an index; x.size() is a shape).
INT_METHODS = frozenset("dim ndimension numel nelement element_size".split())
INT_ATTRS = frozenset(("ndim",))
INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo)
MODULE_METHODS = frozenset("to cuda cpu train eval float half double bfloat16 requires_grad_ apply".split())
# nn.Module methods returning its parameters, buffers or submodules (iterators, dicts): torch.Tensor has none of them.
MODULE_CONTAINERS = frozenset("parameters named_parameters state_dict children named_children modules named_modules "
                              "buffers named_buffers".split())
TENSOR_ANNOTATIONS = frozenset(("torch.Tensor", "torch.FloatTensor", "torch.LongTensor", "torch.nn.Parameter",
                                "torch.nn.parameter.Parameter"))
# calling the tensor class or a typed constructor builds a tensor (`torch.Tensor(rgb_std)`, `torch.LongTensor(ids)`)
TENSOR_CLASSES = frozenset(f"torch.{t}Tensor" for t in
                           ("", "Float", "Double", "Half", "BFloat16", "Byte", "Char", "Short", "Int", "Long", "Bool"))
DTYPES = frozenset("float float32 float64 double float16 half bfloat16 int int8 int16 int32 int64 long uint8 bool "
                   "complex64 complex128 cfloat".split())
# Tensor method names that are rare outside torch (medium confidence on an unknown receiver) and
# names shared with numpy, pandas, str or list (low confidence).
DISTINCTIVE = frozenset(
    "view view_as permute masked_fill masked_fill_ unsqueeze contiguous expand expand_as repeat_interleave chunk "
    "narrow unfold size numel detach requires_grad_ backward type_as new_zeros new_ones new_empty new_full "
    "new_tensor float half bfloat16 double long int bool softmax log_softmax relu sigmoid tanh masked_select "
    "index_select gather scatter scatter_ scatter_add scatter_add_ index_add index_add_ index_copy clamp clamp_min "
    "clamp_max clamp_ zero_ fill_ normal_ uniform_ add_ mul_ sub_ div_ copy_ addmm bmm mm matmul norm topk "
    "multinomial dim ndimension t exp log sqrt rsqrt logical_not logsumexp softplus numpy is_contiguous "
    "pin_memory exponential_ bernoulli bernoulli_ tril triu masked_scatter diag_embed".split())
AMBIGUOUS = frozenset(
    "sum mean max min std var prod abs all any transpose item reshape squeeze flatten tolist argmax argmin argsort "
    "sort cumsum clip round repeat split copy fill dot pow add sub mul div eq ne gt lt ge le take nonzero flip roll "
    "swapaxes square neg diff unique where cumprod median mode index values".split())

# Statements and clauses: a node's innermost one is where its source offsets are computed (positions.py).
UNITS = frozenset((cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef, cst.If, cst.For, cst.While, cst.With,
                   cst.Try, cst.TryStar, cst.Match, cst.MatchCase, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler,
                   cst.Finally))
_LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float, cst.Imaginary,
             cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
CONTAINERS = (cst.List, cst.Tuple, cst.Dict, cst.ListComp, cst.DictComp)
_SKIP_FIELDS = ("lpar", "rpar", "comma", "semicolon", "colon", "equal", "leading_lines", "lines_after_decorators",
                "header", "footer", "trailing_whitespace", "newline", "operator", "dot", "lbracket", "rbracket",
                "lbrace", "rbrace", "asynchronous", "star_tok", "indent")
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls)
                      if f.name not in _SKIP_FIELDS and not f.name.startswith("whitespace"))
        _FIELDS[cls] = names
    return names


class _NodeKinds(dict):
    """type -> whether it is a libcst node (`isinstance` against libcst's abstract base classes is slow)."""

    def __missing__(self, kind: type) -> bool:
        self[kind] = found = issubclass(kind, cst.CSTNode)
        return found


NODE_KINDS = _NodeKinds()


def block_of(root, stmt) -> list | None:
    """The statement list (a block's body) under `root` that holds `stmt`, or None."""
    body = getattr(root, "body", None)
    if isinstance(body, (list, tuple)) and any(s is stmt for s in body):
        return list(body)
    for child in child_nodes(root):
        found = block_of(child, stmt)
        if found is not None:
            return found
    return None


def child_nodes(node) -> list:
    """A node's child nodes in source order, without punctuation and whitespace (libcst's `children` property
    re-visits the node to build its list: slow when a whole function is walked)."""
    found = []
    for name in _fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            found.extend(child for child in value if NODE_KINDS[type(child)])
        elif NODE_KINDS[kind]:
            found.append(value)
    return found


def dotted(node) -> list[str] | None:
    """`a.b.c` -> ["a", "b", "c"]; None unless the node is a pure Name/Attribute chain."""
    parts = []
    while type(node) is cst.Attribute:  # libcst's node classes are final: `type is` asks what isinstance would
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    parts.reverse()
    return parts


def is_torch(qual: str | None) -> bool:
    return qual is not None and (qual == "torch" or qual.startswith("torch."))


class Scope:
    __slots__ = ("kind", "parent", "bindings", "declared", "cls", "self_name", "module", "node")

    def __init__(self, kind: str, parent: Scope | None, cls=None, self_name: str | None = None):
        self.kind = kind
        self.parent = parent
        self.bindings: dict[str, list] = {}
        self.declared: dict[str, str] = {}
        self.cls = cls
        self.self_name = self_name
        self.module = parent.module if parent else self
        self.node = None  # the function, lambda or module whose body this scope is (None for class, comp)


class ClassInfo:
    __slots__ = ("node", "scope", "attrs")

    def __init__(self, node: cst.ClassDef, scope: Scope):
        self.node = node
        self.scope = scope  # where the class statement is (bases resolve there)
        self.attrs: dict[str, list] = {}  # self.<name> = value, in any method


@dataclasses.dataclass
class Frame:
    """A loop or function body, for the training-loop rule."""

    node: cst.CSTNode
    methods: dict = dataclasses.field(default_factory=dict)  # method name -> first receiver node
    covered: bool = False  # an inner loop already reported the pattern
    scope: object = None  # the scope its statements run in


class Reader:
    """Walks a module once; `resolve()` then answers questions about names and expressions."""

    def __init__(self):
        self.module_scope = Scope("module", None)
        self.calls: list = []  # (call, scope)
        self.withs: list = []  # (with item call, with node, scope)
        self.decorators: list = []  # (decorator expression, function node, scope)
        self.classes: list[ClassInfo] = []
        self.loops: list = []  # (Frame, scope) that contain backward and step
        self.fors: list = []  # (for node, scope)
        self.stores: list = []  # (subscript target, statement, scope)
        self.star_imports: list = []  # ImportFrom nodes: from torch import *
        self.imports: list = []  # (statement, scope)
        self.statement_calls: set = set()  # calls that are a whole expression statement: `x.add_(y)` on its own
        self.frames: list[Frame] = []
        self.units: dict = {}  # id(node) -> the innermost statement or clause holding it (positions.py)
        self.unit = None
        self._kinds: dict = {}
        self._pending: set = set()
        self._provisional: set = set()
        self._cycles = 0
        self._quals: dict = {}
        self._ints: dict = {}

    # -- walking ---------------------------------------------------------------------------------

    def walk(self, node, scope: Scope) -> None:
        kind = type(node)
        if kind in UNITS:
            saved, self.unit = self.unit, node
        self.units[id(node)] = self.unit
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node, scope)
        else:
            self.children(node, scope)
        if kind in UNITS:
            self.unit = saved

    def children(self, node, scope: Scope, skip: tuple = ()) -> None:
        for name in _fields(type(node)):
            if name in skip:
                continue
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    if NODE_KINDS[type(child)]:
                        self.walk(child, scope)
            elif NODE_KINDS[kind]:
                self.walk(value, scope)

    def bind(self, name: str, binding: tuple, scope: Scope) -> None:
        declared = scope.declared.get(name)
        if declared == "global":
            scope = scope.module
        elif declared == "nonlocal":
            s = scope.parent
            while s is not None and not (s.kind == "function" and name in s.bindings):
                s = s.parent
            scope = s or scope.module
        scope.bindings.setdefault(name, []).append(binding)

    def bind_target(self, target, binding_for, scope: Scope, stmt=None) -> None:
        """Bind the names in an assignment target; `binding_for(index)` makes each name's binding."""
        if isinstance(target, cst.Name):
            self.bind(target.value, binding_for(None), scope)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for i, el in enumerate(target.elements):
                inner = el.value
                if isinstance(el, cst.StarredElement) or not isinstance(inner, cst.Name):
                    self.bind_target(inner, lambda _i: ("other", None, scope), scope, stmt)
                else:
                    self.bind(inner.value, binding_for(i), scope)
        elif isinstance(target, cst.StarredElement):
            self.bind_target(target.value, lambda _i: ("other", None, scope), scope, stmt)
        elif isinstance(target, cst.Attribute):
            self.walk(target.value, scope)
            if scope.cls is not None and isinstance(target.value, cst.Name) and target.value.value == scope.self_name:
                b = binding_for(None)
                scope.cls.attrs.setdefault(target.attr.value, []).append(b)
        elif isinstance(target, cst.Subscript):
            self.walk(target, scope)
            if stmt is not None:
                self.stores.append((target, stmt, scope))
        else:
            self.walk(target, scope)

    def _assign(self, node: cst.Assign, scope: Scope) -> None:
        self.walk(node.value, scope)
        for t in node.targets:
            self.bind_target(t.target, lambda i: ("expr", node.value, scope) if i is None
                             else ("unpack", (node.value, i), scope), scope, node)

    def _ann_assign(self, node: cst.AnnAssign, scope: Scope) -> None:
        self.walk(node.annotation, scope)
        if node.value is not None:
            self.walk(node.value, scope)
            self.bind_target(node.target, lambda i: ("expr", node.value, scope), scope, node)
        elif isinstance(node.target, cst.Name):
            self.bind(node.target.value, ("param", node.annotation.annotation, scope), scope)

    def _aug_assign(self, node: cst.AugAssign, scope: Scope) -> None:
        self.walk(node.value, scope)
        if isinstance(node.target, cst.Name):
            self.bind(node.target.value, ("expr", node.target, scope), scope)  # keeps the kind it had
        else:
            self.bind_target(node.target, lambda i: ("other", None, scope), scope, node)

    def _named_expr(self, node: cst.NamedExpr, scope: Scope) -> None:
        self.walk(node.value, scope)
        self.bind_target(node.target, lambda i: ("expr", node.value, scope), scope)

    def _import(self, node: cst.Import, scope: Scope) -> None:
        for a in node.names:
            parts = dotted(a.name)
            full = ".".join(parts)
            if a.asname is not None and isinstance(a.asname.name, cst.Name):
                self.bind(a.asname.name.value, ("import", full, scope), scope)
            else:
                self.bind(parts[0], ("import", parts[0], scope), scope)
        self.imports.append((node, scope))

    def _import_from(self, node: cst.ImportFrom, scope: Scope) -> None:
        module = ".".join(dotted(node.module)) if node.module is not None else ""
        if node.relative:
            module = "." * len(node.relative) + module
        if isinstance(node.names, cst.ImportStar):
            if is_torch(module):
                self.star_imports.append(node)
            return
        for a in node.names:
            name = a.name.value if isinstance(a.name, cst.Name) else ".".join(dotted(a.name))
            local = a.asname.name.value if a.asname is not None else name
            self.bind(local, ("import", f"{module}.{name}", scope), scope)
        self.imports.append((node, scope))

    def _params(self, params: cst.Parameters, outer: Scope, inner: Scope) -> None:
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            self._param(p, outer, inner)
        for p in (params.star_arg, params.star_kwarg):
            if isinstance(p, cst.Param):
                self._param(p, outer, inner)

    def _param(self, p: cst.Param, outer: Scope, inner: Scope) -> None:
        if p.annotation is not None:
            self.walk(p.annotation, outer)
        if p.default is not None:
            self.walk(p.default, outer)
        ann = p.annotation.annotation if p.annotation is not None else None
        inner.bindings.setdefault(p.name.value, []).append(("param", ann, outer))

    def _function(self, node: cst.FunctionDef, scope: Scope) -> None:
        for d in node.decorators:
            self.walk(d.decorator, scope)
            self.decorators.append((d.decorator, node, scope))
        if node.returns is not None:
            self.walk(node.returns, scope)
        self.bind(node.name.value, ("def", node, scope), scope)
        cls, self_name = scope.cls, scope.self_name
        if scope.kind == "class":
            params = node.params.posonly_params + node.params.params
            static = any(dotted(d.decorator) == ["staticmethod"] for d in node.decorators)
            self_name = params[0].name.value if params and not static else None
        inner = Scope("function", scope, cls, self_name)
        inner.node = node
        self._params(node.params, scope, inner)
        saved, self.frames = self.frames, [Frame(node, scope=inner)]
        self.walk(node.body, inner)
        self._close_frame()
        self.frames = saved

    def _lambda(self, node: cst.Lambda, scope: Scope) -> None:
        inner = Scope("function", scope, scope.cls, scope.self_name)
        inner.node = node
        self._params(node.params, scope, inner)
        self.walk(node.body, inner)

    def _class(self, node: cst.ClassDef, scope: Scope) -> None:
        for d in node.decorators:
            self.walk(d.decorator, scope)
        for a in (*node.bases, *node.keywords):
            self.walk(a.value, scope)
        self.bind(node.name.value, ("def", node, scope), scope)
        info = ClassInfo(node, scope)
        self.classes.append(info)
        self.walk(node.body, Scope("class", scope, info, None))

    def _comprehension(self, node, scope: Scope) -> None:
        inner = Scope("comp", scope, scope.cls, scope.self_name)
        self._comp_for(node.for_in, inner)
        if isinstance(node, cst.DictComp):
            self.walk(node.key, inner)
            self.walk(node.value, inner)
        else:
            self.walk(node.elt, inner)

    def _comp_for(self, node: cst.CompFor, scope: Scope) -> None:
        self.walk(node.iter, scope)
        self.bind_target(node.target, lambda i: ("iter", (node.iter, i), scope), scope)
        for cond in node.ifs:
            self.walk(cond.test, scope)
        if node.inner_for_in is not None:
            self._comp_for(node.inner_for_in, scope)

    def _for(self, node: cst.For, scope: Scope) -> None:
        self.walk(node.iter, scope)
        self.bind_target(node.target, lambda i: ("iter", (node.iter, i), scope), scope)
        self.fors.append((node, scope))
        self._loop(node, scope)

    def _loop(self, node, scope: Scope) -> None:
        if isinstance(node, cst.While):
            self.walk(node.test, scope)
        self.frames.append(Frame(node, scope=scope))
        self.walk(node.body, scope)
        self._close_frame()
        if node.orelse is not None:
            self.walk(node.orelse, scope)

    def _close_frame(self) -> None:
        frame = self.frames.pop()
        found = "backward" in frame.methods and "step" in frame.methods
        if found and not frame.covered:
            self.loops.append(frame)
        if (found or frame.covered) and self.frames:
            self.frames[-1].covered = True

    def _with(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            self.walk(item.item, scope)
            if isinstance(item.item, cst.Call):
                self.withs.append((item.item, node, scope))
            if item.asname is not None:
                self.bind_target(item.asname.name, lambda i: ("other", None, scope), scope)
        self.walk(node.body, scope)

    def _call(self, node: cst.Call, scope: Scope) -> None:
        self.calls.append((node, scope))
        func = node.func
        if isinstance(func, cst.Attribute) and self.frames:
            name = func.attr.value
            if name in ("backward", "step", "zero_grad"):
                for f in self.frames:
                    f.methods.setdefault(name, func.value)
        self.children(node, scope)

    def _expr(self, node: cst.Expr, scope: Scope) -> None:
        if isinstance(node.value, cst.Call) and not node.value.lpar:
            self.statement_calls.add(node.value)
        self.walk(node.value, scope)

    def _global(self, node, scope: Scope) -> None:
        kind = "global" if isinstance(node, cst.Global) else "nonlocal"
        for n in node.names:
            scope.declared[n.name.value] = kind

    def _except(self, node: cst.ExceptHandler, scope: Scope) -> None:
        if node.type is not None:
            self.walk(node.type, scope)
        if node.name is not None:
            self.bind_target(node.name.name, lambda i: ("other", None, scope), scope)
        self.walk(node.body, scope)

    # -- resolving -------------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> list | None:
        s, first = scope, True
        while s is not None:
            declared = s.declared.get(name)
            if declared == "global":
                return s.module.bindings.get(name)
            if (first or s.kind != "class") and name in s.bindings:
                return s.bindings[name]
            first = False
            s = s.parent
        return None

    def qualify(self, node, scope: Scope) -> tuple[str | None, bool]:
        """The qualified name of a Name/Attribute chain, and whether it is ambiguous.

        Ambiguous: the root is bound to a torch import and to something else (a conditional import);
        the torch name is returned. Anything that is not an import (or an alias of one) gives None.
        """
        parts = dotted(node)
        if parts is None:
            return None, False
        key = (id(node), id(scope))
        if key in self._quals:
            return self._quals[key]
        self._quals[key] = (None, False)  # recursion guard: `a = a.b`
        bindings = self.lookup(parts[0], scope)
        quals, other = set(), False
        for kind, payload, where in bindings or ():
            if kind == "import":
                quals.add(payload)
            elif kind == "expr" and dotted(payload) is not None:
                q, _ = self.qualify(payload, where)
                if q is None:
                    other = True
                else:
                    quals.add(q)
            else:
                other = True
        rest = "".join("." + p for p in parts[1:])
        if len(quals) == 1 and not other:
            result = (quals.pop() + rest, False)
        else:
            torch_quals = sorted(q for q in quals if is_torch(q))
            result = (torch_quals[0] + rest, True) if torch_quals else (None, False)
        self._quals[key] = result
        return result

    def call_kind(self, qual: str) -> str:
        """What calling a resolved torch API returns."""
        parts = qual.split(".")
        last = parts[-1]
        if qual in ("torch.nn.Parameter", "torch.nn.parameter.Parameter") or qual in TENSOR_CLASSES:
            return TENSOR
        if qual == "torch.utils.data.DataLoader":
            return LOADER
        if len(parts) >= 3 and parts[1] == "nn" and last[:1].isupper():
            return MODULE
        if last[:1].isupper():
            return OBJECT
        if qual.startswith("torch.nn.functional.") or (len(parts) == 3 and parts[1] in ("linalg", "fft", "special")):
            return TENSOR
        if len(parts) == 2 and last not in NON_TENSOR_FUNCS:
            return TENSOR
        return OBJECT

    def kind(self, node, scope: Scope) -> str:
        key = (id(node), id(scope))
        found = self._kinds.get(key)
        # A kind found while an enclosing query was pending may lack what that query adds (a cycle was cut on the
        # way: `z = z.permute(...)`): it serves nested queries, and an outermost query computes it again, so
        # that kinds do not depend on the order of the queries (a second --fix must read the same kinds).
        if found is not None and not (key in self._provisional and not self._pending):
            return found
        if key in self._pending:
            self._cycles += 1
            return UNKNOWN
        self._pending.add(key)
        cycles = self._cycles
        result = self._kind(node, scope)
        self._pending.discard(key)
        self._kinds[key] = result
        if self._cycles != cycles and self._pending:
            self._provisional.add(key)
        else:
            self._provisional.discard(key)
        return result

    def _kind(self, node, scope: Scope) -> str:
        if isinstance(node, _LITERALS):
            return OTHER
        if isinstance(node, cst.Name):
            return self._kinds_of(self.lookup(node.value, scope))
        if isinstance(node, cst.Attribute):
            qual, _ = self.qualify(node, scope)
            if qual is not None:
                return OBJECT if is_torch(qual) else OTHER
            base = self.kind(node.value, scope)
            if base == TENSOR:
                return TENSOR if node.attr.value in TENSOR_ATTRS or node.attr.value in RESULT_FIELDS else OTHER
            if base == MODULE and node.attr.value in MODULE_PARAMS:
                return TENSOR
            if base == OTHER:
                return OTHER
            if isinstance(node.value, cst.Name) and scope.cls is not None and node.value.value == scope.self_name:
                return self._kinds_of(scope.cls.attrs.get(node.attr.value))
            return UNKNOWN
        if isinstance(node, cst.Subscript):
            base = self.kind(node.value, scope)
            if base == OTHER and self._container(node.value, scope):
                return UNKNOWN  # `state["m"]` of `state = {"m": torch.zeros(3)}`: a display may hold tensors
            return base if base in (TENSOR, OTHER, MODULE) else UNKNOWN
        if isinstance(node, cst.Call):
            return self._call_result(node, scope)
        if isinstance(node, (cst.BinaryOperation, cst.Comparison)):
            left = self.kind(node.left, scope)
            rights = ([self.kind(node.right, scope)] if isinstance(node, cst.BinaryOperation)
                      else [self.kind(c.comparator, scope) for c in node.comparisons])
            kinds = [left, *rights]
            if TENSOR in kinds:
                return TENSOR
            return OTHER if all(k == OTHER for k in kinds) else UNKNOWN
        if isinstance(node, cst.UnaryOperation):
            return self.kind(node.expression, scope)
        if isinstance(node, cst.IfExp):
            kinds = (self.kind(node.body, scope), self.kind(node.orelse, scope))
            return TENSOR if TENSOR in kinds else UNKNOWN
        return UNKNOWN

    def _container(self, node, scope: Scope) -> bool:
        """A list, tuple or dict display (or a name bound only to displays): its elements may be tensors."""
        if isinstance(node, CONTAINERS):
            return True
        bindings = self.lookup(node.value, scope) if isinstance(node, cst.Name) else None
        return bool(bindings) and all(k == "expr" and isinstance(p, CONTAINERS) for k, p, _ in bindings)

    def _call_result(self, node: cst.Call, scope: Scope) -> str:
        func = node.func
        qual, _ = self.qualify(func, scope)
        if qual is not None:
            if is_torch(qual):
                return self.call_kind(qual)
            # a rewrite's output (`jnp.concatenate(...)`, seen by a second --fix): an array whose torch methods,
            # held back in the first run, are still torch calls
            return TENSOR if qual.startswith(JAX_ARRAY_FUNCS) else OTHER
        if isinstance(func, cst.Name):
            bindings = self.lookup(func.value, scope)
            if bindings is None:
                return UNKNOWN
            if any(k == "def" and isinstance(p, cst.ClassDef) and self.is_module_class(p, w) for k, p, w in bindings):
                return MODULE
            return TENSOR if self._kinds_of(bindings) == MODULE else UNKNOWN
        if isinstance(func, cst.Attribute):
            base = self.kind(func.value, scope)
            name = func.attr.value
            if base == TENSOR:
                if name == "type" and node.args:
                    return TENSOR  # `x.type(torch.float16)` casts; `x.type()` is the type's name, a str
                return OTHER if name in NON_TENSOR_METHODS else TENSOR
            if base == MODULE:
                if name in MODULE_METHODS:
                    return MODULE
                return OBJECT if name in MODULE_CONTAINERS else UNKNOWN
            if base == OTHER:
                return OTHER
            if base != TENSOR and name in MODULE_CONTAINERS:
                return OBJECT  # `ema.module.state_dict()`: no tensor has these methods, whatever the receiver is
            if isinstance(func.value, cst.Name) and scope.cls is not None and func.value.value == scope.self_name:
                if self._kinds_of(scope.cls.attrs.get(name)) == MODULE:
                    return TENSOR  # self.proj(x): a submodule's output
        return UNKNOWN

    def _kinds_of(self, bindings) -> str:
        if not bindings:
            return UNKNOWN
        kinds = {self.binding_kind(b) for b in bindings}
        for k in (OTHER, TENSOR, MODULE, LOADER, OBJECT):
            if k in kinds:
                return k
        return UNKNOWN

    def binding_kind(self, binding: tuple) -> str:
        kind, payload, where = binding
        if kind == "import":
            return OBJECT if is_torch(payload) else OTHER
        if kind == "expr":
            return self.kind(payload, where)
        if kind == "unpack":
            value, i = payload
            if isinstance(value, (cst.GeneratorExp, cst.ListComp)):
                return UNKNOWN  # the elements' kind, not a plain Python value
            if isinstance(value, (cst.Tuple, cst.List)) and i < len(value.elements):
                el = value.elements[i]
                return UNKNOWN if isinstance(el, cst.StarredElement) else self.kind(el.value, where)
            k = self.kind(value, where)
            return k if k in (TENSOR, OTHER) else UNKNOWN
        if kind == "iter":
            iterable, i = payload
            if isinstance(iterable, cst.Call) and dotted(iterable.func) == ["enumerate"] and iterable.args:
                if i == 0:
                    return OTHER
                iterable = iterable.args[0].value
            if isinstance(iterable, (cst.Tuple, cst.List)) and i is None and iterable.elements and \
                    all(self.kind(e.value, where) == TENSOR for e in iterable.elements):
                return TENSOR  # for t in (q, k, v)
            k = self.kind(iterable, where)
            return TENSOR if k in (TENSOR, LOADER) else (OTHER if k == OTHER and i is None else UNKNOWN)
        if kind == "param":
            return self.annotation_kind(payload, where) if payload is not None else UNKNOWN
        if kind == "def":
            return OBJECT
        return UNKNOWN

    def is_int(self, node, scope: Scope) -> bool:
        """Whether the value is proven a Python int: an int literal, x.size(i), x.shape[i], x.ndim, x.dim()
        of a tensor, len(...), int(...), a name bound only to such values, and + - * // % of them."""
        key = (id(node), id(scope))
        if key not in self._ints:
            self._ints[key] = False  # recursion guard: `n = n + 1`
            self._ints[key] = self._is_int(node, scope)
        return self._ints[key]

    def _is_int(self, node, scope: Scope) -> bool:
        if isinstance(node, cst.Integer):
            return True
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return self.is_int(node.expression, scope)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, INT_OPERATORS):
            return self.is_int(node.left, scope) and self.is_int(node.right, scope)
        if isinstance(node, cst.Name):
            bindings = self.lookup(node.value, scope)
            return bool(bindings) and all(self.binding_is_int(b, node.value) for b in bindings)
        if isinstance(node, cst.Attribute):
            return node.attr.value in INT_ATTRS and self.kind(node.value, scope) == TENSOR
        if isinstance(node, cst.Subscript):
            return len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) and \
                self._is_shape(node.value, scope)
        if isinstance(node, cst.Call):
            func, args = node.func, node.args
            if isinstance(func, cst.Name) and self.lookup(func.value, scope) is None:  # a builtin, not shadowed
                if func.value in ("len", "int"):
                    return len(args) == 1
                if func.value in ("max", "min"):
                    return len(args) > 1 and all(not a.star and not a.keyword and self.is_int(a.value, scope)
                                                 for a in args)
            if isinstance(func, cst.Attribute) and self.kind(func.value, scope) == TENSOR:
                if func.attr.value == "size":
                    return len(args) == 1 and not args[0].star
                return func.attr.value in INT_METHODS and not args
        return False

    def _is_shape(self, node, scope: Scope) -> bool:
        """x.shape or x.size() of a tensor: a tuple of ints."""
        if isinstance(node, cst.Attribute) and node.attr.value == "shape":
            return self.kind(node.value, scope) == TENSOR
        return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
            node.func.attr.value == "size" and not node.args and self.kind(node.func.value, scope) == TENSOR

    def binding_is_int(self, binding: tuple, name: str) -> bool:
        """Whether the binding of `name` proves an int (`B, T, C = x.size()`, `n = x.shape[0]`, `for i in
        range(n)`, `n: int`); an augmented assignment (`n += ...`, whose operator the binding does not keep)
        does not."""
        kind, payload, where = binding
        if kind == "expr":
            return not (isinstance(payload, cst.Name) and payload.value == name) and self.is_int(payload, where)
        if kind == "unpack":
            value, i = payload
            if isinstance(value, (cst.Tuple, cst.List)):
                return i < len(value.elements) and not isinstance(value.elements[i], cst.StarredElement) and \
                    self.is_int(value.elements[i].value, where)
            return self._is_shape(value, where)
        if kind == "iter":
            iterable, i = payload
            if isinstance(iterable, cst.Call) and dotted(iterable.func) == ["enumerate"]:
                return i == 0
            return i is None and isinstance(iterable, cst.Call) and dotted(iterable.func) == ["range"] and \
                self.lookup("range", where) is None
        if kind == "param":
            return isinstance(payload, cst.Name) and payload.value == "int"
        return False

    def annotation_kind(self, node, scope: Scope) -> str:
        if isinstance(node, cst.SimpleString):
            return UNKNOWN
        quals = []
        stack = [node]
        while stack:
            n = stack.pop()
            if dotted(n) is not None:
                quals.append(self.qualify(n, scope)[0] or ".".join(dotted(n)))
            elif isinstance(n, cst.BinaryOperation):
                stack += [n.left, n.right]
            elif isinstance(n, cst.Subscript):
                args = [e.slice.value for e in n.slice if isinstance(e.slice, cst.Index)]
                outer = self.qualify(n.value, scope)[0] or ".".join(dotted(n.value) or ())
                if outer.rsplit(".", 1)[-1] in ("Optional", "Union", "Annotated"):
                    stack += args[:1] if outer.endswith("Annotated") else args
                elif any(self.annotation_kind(a, scope) != OTHER for a in args):
                    return UNKNOWN  # List[torch.Tensor], Dict[str, torch.Tensor]: a container, not a tensor
                else:
                    quals.append(outer)
        if any(q in TENSOR_ANNOTATIONS for q in quals):
            return TENSOR
        if any(q == "torch.nn.Module" for q in quals):
            return MODULE
        return OTHER if quals and not any(is_torch(q) for q in quals) else UNKNOWN

    def is_module_class(self, node: cst.ClassDef, scope: Scope, seen: frozenset = frozenset()) -> bool:
        if node in seen:
            return False
        for base in node.bases:
            qual, _ = self.qualify(base.value, scope)
            if qual is not None:
                if qual.startswith("torch.nn.") and qual.split(".")[-1][:1].isupper() and "Parameter" not in qual:
                    return True
                continue
            if isinstance(base.value, cst.Name):
                for kind, payload, where in self.lookup(base.value.value, scope) or ():
                    if kind == "def" and isinstance(payload, cst.ClassDef) and \
                            self.is_module_class(payload, where, seen | {node}):
                        return True
        return False


_HANDLERS = {
    cst.Assign: Reader._assign,
    cst.AnnAssign: Reader._ann_assign,
    cst.AugAssign: Reader._aug_assign,
    cst.NamedExpr: Reader._named_expr,
    cst.Import: Reader._import,
    cst.ImportFrom: Reader._import_from,
    cst.FunctionDef: Reader._function,
    cst.Lambda: Reader._lambda,
    cst.ClassDef: Reader._class,
    cst.ListComp: Reader._comprehension,
    cst.SetComp: Reader._comprehension,
    cst.GeneratorExp: Reader._comprehension,
    cst.DictComp: Reader._comprehension,
    cst.For: Reader._for,
    cst.While: Reader._loop,
    cst.With: Reader._with,
    cst.Call: Reader._call,
    cst.Global: Reader._global,
    cst.Nonlocal: Reader._global,
    cst.ExceptHandler: Reader._except,
    cst.Expr: Reader._expr,
}


def read(module: cst.Module) -> Reader:
    reader = Reader()
    reader.module_scope.node = module
    reader.walk(module, reader.module_scope)
    return reader
