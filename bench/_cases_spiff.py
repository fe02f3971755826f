"""The SpiffWorkflow side of bench/cases.py: the same two-branch process as a BPMN diagram
(start → 受理 → parallel split → 两个部门审查 → join → 决定 → end), run with SpiffWorkflow's own
engine and serializer, without a database."""

from __future__ import annotations

import time

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

NODES = [("startEvent", "start", ""), ("userTask", "accept", "受理"), ("parallelGateway", "split", ""),
         ("userTask", "review_market", "食品安全审查"), ("userTask", "review_health", "卫生审查"),
         ("parallelGateway", "join", ""), ("userTask", "decide", "决定"), ("endEvent", "end", "")]
FLOWS = [("start", "accept"), ("accept", "split"), ("split", "review_market"),
         ("split", "review_health"), ("review_market", "join"), ("review_health", "join"),
         ("join", "decide"), ("decide", "end")]
USER_TASKS = [node_id for kind, node_id, _ in NODES if kind == "userTask"]


def bpmn_xml() -> bytes:
    nodes = "".join(f'<bpmn:{kind} id="{node_id}" name="{name}"/>' for kind, node_id, name in NODES)
    flows = "".join(f'<bpmn:sequenceFlow id="flow{n}" sourceRef="{a}" targetRef="{b}"/>'
                    for n, (a, b) in enumerate(FLOWS))
    return ('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="cases"'
            ' targetNamespace="https://yiwang.invalid/bench"><bpmn:process id="case" isExecutable="true">'
            f"{nodes}{flows}</bpmn:process></bpmn:definitions>").encode()


def parse_spec():
    parser = BpmnParser()
    parser.add_bpmn_xml(etree.fromstring(bpmn_xml()), filename="case.bpmn")
    return parser.get_spec("case")


def run_once(spec, serializer, *, every_step: bool) -> tuple[list[str], int]:
    """Create an instance, complete every user task with an opinion in its data, and serialize
    to JSON: once at the end, or after creation and after every task (as our services persist
    every step). Returns the tasks completed in order and the size of the last serialization."""
    workflow = BpmnWorkflow(spec)
    workflow.do_engine_steps()
    state = serializer.serialize_json(workflow) if every_step else ""
    done = []
    while not workflow.is_completed():
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        task.data["opinion"] = "同意"
        task.run()
        workflow.do_engine_steps()
        done.append(task.task_spec.name)
        if every_step:
            state = serializer.serialize_json(workflow)
    if not every_step:
        state = serializer.serialize_json(workflow)
    return done, len(state)


def measure(loops: int, runs: int) -> dict:
    """Loops per second (median of ``runs``) for both ways of serializing; the spec is parsed
    once, outside the timed loop."""
    import statistics

    from SpiffWorkflow.version import __version__

    spec = parse_spec()
    serializer = BpmnWorkflowSerializer()
    done, size = run_once(spec, serializer, every_step=False)
    if sorted(done) != sorted(USER_TASKS) or done[0] != "accept" or done[-1] != "decide":
        raise SystemExit(f"SpiffWorkflow ran the tasks {done}, expected {USER_TASKS}")
    out = {"version": __version__, "tasks": done, "json_bytes": size}
    for every_step in (False, True):
        for _ in range(loops // 10):  # warm up
            run_once(spec, serializer, every_step=every_step)
        rates = []
        for _ in range(runs):
            started = time.perf_counter()
            for _ in range(loops):
                run_once(spec, serializer, every_step=every_step)
            rates.append(loops / (time.perf_counter() - started))
        out["every_step" if every_step else "at_end"] = {"rates": rates,
                                                         "median": statistics.median(rates)}
    return out
