"""Start Rasa (`rasa run ...`, same arguments) with its largest per-message costs made cheap.

Rasa checks every answer of the action server with `jsonschema.validate(answer,
schema)`. That function validates the *schema itself* against the JSON Schema
meta-schema before it validates the answer, on every call: 3 ms each time with
jsonschema 3.2 (30 ms with 4.17), for a schema that never changes. Our
assistant calls the action server at least once per message (the slot-mapping
validation action), so this was the largest single cost of a message
(py-spy under 20 concurrent conversations: 18 % of Rasa's CPU; figures in
docs/performance.md).

Rasa Open Source 3.6.21 is the last open-source release, so the fixes cannot go
upstream. Here each distinct schema is checked once, then answers are
validated exactly as before: same validator class, same errors (best_match),
raised the same way.

Two more costs showed in py-spy once that one was gone (docs/performance.md):
- Every call to the action server opened a new HTTP connection (Rasa makes a
  new aiohttp ClientSession per request): 9 % of Rasa's CPU. The action
  endpoint's session is now kept and its connections reused.
- Reading a conversation back from the tracker store looks up each event's
  class by walking every subclass of Event, for every event of the
  conversation: 6 %. The lookup is now remembered by type name.
Two more at stop 13 (py-spy again, 20 conversations):
- The intent classifier's input was built from every sparse feature of the
  message, per-token ones included, and its coefficients were copied on each
  prediction: 19 % of Rasa's CPU for a logistic regression. Now only the
  sentence features are stacked, and the coefficients are stored in the
  order the sparse product reads them (`lean_intent_features`).
- dask rebuilt, ordered and scheduled the graph on every run (one NLU run per
  message, one policy run per predicted action): 11 %. The nodes now run in
  an order computed once (`run_graph_in_order`).
Both give the same answers bit for bit (tests/test_rasa_server_model.py).
At stop 16: the objects alive once the model is loaded are frozen out of
the garbage collector's full collections, which stopped the process for 290
to 480 ms each (`freeze_after_model_load`).
Nothing else of Rasa is touched.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Dict, List, Optional, Tuple

import jsonschema
from jsonschema.exceptions import best_match

_checked: Dict[str, Any] = {}


def validate(instance: Any, schema: Dict[str, Any], cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """jsonschema.validate, with the check of the schema itself done once per schema."""
    key = json.dumps(schema, sort_keys=True, default=repr)
    validator = _checked.get(key)
    if validator is None:
        if cls is None:
            cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _checked[key] = cls(schema, *args, **kwargs)
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


# An idle kept connection is dropped before the action server (Sanic, whose
# keep-alive is 5 s) would close it, so a request never races that close.
KEEPALIVE_SECONDS = 3.0


class _KeptSession:
    """Stands where Rasa expects a fresh ClientSession: `async with` gives the
    endpoint's long-lived session and leaves it open on exit."""

    def __init__(self, session: Any):
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: Any) -> None:
        return None


def reuse_http_connections() -> None:
    """One aiohttp session per endpoint and event loop, instead of one per request."""
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    kept: Dict[Any, Any] = {}

    def session(self: EndpointConfig) -> _KeptSession:
        key = (id(self), id(asyncio.get_running_loop()))
        current = kept.get(key)
        if current is None or current.closed:
            # As EndpointConfig.session builds it (same headers, auth and
            # timeout); only the connector differs: connections are kept,
            # and dropped when idle before the server would close them.
            auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth else None)
            current = kept[key] = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
        return _KeptSession(current)

    EndpointConfig.session = session


def cache_event_types() -> None:
    """Event.resolve_by_type, remembered per type name once found."""
    from rasa.shared.core.events import Event

    resolve = Event.resolve_by_type
    found: Dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Optional[Any] = None) -> Optional[Any]:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = resolve(type_name, default)
        # Only real matches are kept: an unknown name still gets the default
        # or the ValueError, as before.
        if cls is not None and cls is not default and getattr(cls, "type_name", None) == type_name:
            found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)


def lean_intent_features() -> None:
    """The logistic regression's input built from the sentence features only,
    and its coefficients laid out for a sparse row.

    Its `_create_X` asked the message for all its sparse features, which
    combines the per-token matrices of every featurizer too (copies and
    scipy stacks) only to keep the sentence ones; and scikit-learn multiplies
    the sparse row by `coef_.T`, which scipy copies into C order (33 x 10,593
    floats) on every call unless `coef_` is stored in Fortran order. The
    matrix and the probabilities are the same, bit for bit (tested).
    """
    import numpy
    import scipy.sparse
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.constants import TEXT

    original_create_x = LogisticRegressionClassifier._create_X
    original_load = LogisticRegressionClassifier.load.__func__

    def _create_X(self: Any, messages: List[Any]) -> Any:
        rows = []
        for message in messages:
            _, sentence = message._filter_sparse_features(TEXT, [])
            if message.get_dense_features(attribute=TEXT)[1] is not None or not sentence:
                # Dense features (none in our pipeline) or none at all: Rasa's own way.
                return original_create_x(self, messages)
            rows.append(scipy.sparse.hstack([f.features for f in sentence], format="csr",
                                            dtype=numpy.float64))
        return scipy.sparse.vstack(rows, format="csr")

    def load(cls: Any, *args: Any, **kwargs: Any) -> Any:
        component = original_load(cls, *args, **kwargs)
        classifier = getattr(component, "clf", None)
        if getattr(classifier, "coef_", None) is not None:
            classifier.coef_ = numpy.asfortranarray(classifier.coef_)
        return component

    LogisticRegressionClassifier._create_X = _create_X
    LogisticRegressionClassifier.load = classmethod(load)


def run_graph_in_order() -> None:
    """Rasa's graph runner without dask: the nodes in dependency order, one after the other.

    Rasa runs its NLU graph once per message and its policy graph once per
    predicted action through `dask.get`, which rebuilds the task graph, orders
    it and schedules it on every call: 11 % of Rasa's CPU under 20
    conversations, for graphs of about twenty nodes that run in one thread
    anyway. The order is computed once per set of targets; each node gets
    exactly what dask gave it (the `(name, output)` of each node it needs, or
    the input under that name), and errors are raised as Rasa raised them.
    """
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def plan(self: Any, targets: Tuple[str, ...]) -> List[Tuple[str, Any, Tuple[str, ...]]]:
        plans = self.__dict__.setdefault("_plans_in_order", {})
        found = plans.get(targets)
        if found is None:
            schema = self._graph_schema.minimal_graph_schema(list(targets))
            ordered: List[Tuple[str, Any, Tuple[str, ...]]] = []
            done: set = set()

            def visit(name: str, path: Tuple[str, ...] = ()) -> None:
                if name in done or name not in schema.nodes:
                    return
                if name in path:
                    raise GraphRunError(f"The graph has a cycle through '{name}'.")
                needs = tuple(schema.nodes[name].needs.values())
                for need in needs:
                    visit(need, path + (name,))
                done.add(name)
                ordered.append((name, self._instantiated_nodes[name], needs))

            for node_name in schema.nodes:
                visit(node_name)
            found = plans[targets] = ordered
        return found

    def run(self: Any, inputs: Optional[Dict[str, Any]] = None,
            targets: Optional[List[str]] = None) -> Dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        steps = plan(self, tuple(run_targets))
        inputs = inputs or {}
        node_names = {name for name, _, _ in steps}
        for input_name, input_value in inputs.items():
            if isinstance(input_value, str) and input_value in node_names:
                raise GraphRunError(
                    f"Input value '{input_value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema.")
        # As in dask's graph: an input is the pair (its name, its value), and
        # an input named like a node stands in for that node.
        results: Dict[str, Any] = {name: (name, value) for name, value in inputs.items()}
        try:
            for name, node, needs in steps:
                if name not in results:
                    results[name] = node(*(results.get(need, need) for need in needs))
            return dict(results[target] for target in run_targets)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    DaskGraphRunner.run = run


def freeze_after_model_load() -> None:
    """Leave what is alive once the model is loaded out of later garbage collections.

    A Rasa process holds about 500,000 objects the collector tracks once its
    model is loaded (TensorFlow's and Rasa's modules, the model). Python's
    full collection walks all of them. It ran twice per process in each
    bench run of two and a half minutes: it comes once the objects that
    outlived their messages reach a quarter of that number, so it keeps
    coming as the process ages. Each took 290 to 480 ms, during which the
    process answered nothing: every message in flight on it waited that
    long. With them frozen after loading, a full collection took 1 to 9 ms
    (the collector's callbacks in two bench runs each way;
    docs/performance.md).
    Nothing is freed later from what is frozen; those objects live as long as
    the process anyway.
    """
    import gc

    import rasa.core.run

    original = rasa.core.run.load_agent_on_start
    if getattr(original, "freezes_after_load", False):
        return

    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        loaded = await original(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return loaded

    load_agent_on_start.freezes_after_load = True  # type: ignore[attr-defined]
    # serve_application looks the listener up in its module when it registers it.
    rasa.core.run.load_agent_on_start = load_agent_on_start


def install() -> None:
    # Rasa imports `validate` from jsonschema inside the function that checks
    # an action's answer, so replacing the module attribute is enough.
    jsonschema.validate = validate
    reuse_http_connections()
    cache_event_types()
    lean_intent_features()
    run_graph_in_order()
    freeze_after_model_load()


if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
