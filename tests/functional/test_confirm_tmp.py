import datetime, time
import pytest
from ansible_collections.multiwan.routeros.plugins.module_utils import confirm
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile
from engine_support import open_lab, export_body

INIT = """/ip firewall mangle
add chain=prerouting action=accept comment="foreign one"
add chain=prerouting action=mark-connection new-connection-mark=a passthrough=yes comment="old [mwan:connection_marks:k1@10]"
add chain=prerouting action=accept comment="foreign two"
/routing table add name=t1 fib comment="T [mwan:routing_tables:t1]"
/ip firewall connection tracking set udp-timeout=45s
"""

@pytest.mark.parametrize("kind", ["api", "ssh"])
def test_roundtrip(lab_router_factory, kind):
    lab = lab_router_factory(init=INIT)
    before = export_body(lab.control.cli("/export"))
    t = open_lab(lab, kind)
    res = confirm.arm(t, "multiwan-confirm", "run1", 60, "core", "multiwan-lock", datetime.datetime.now(datetime.timezone.utc))
    print(res)
    print([r.get("source") for r in lab.router.rows("/system/script")][0])
    desired = {"/ip/firewall/mangle": [{"chain": "forward", "action": "accept", "comment": "new", "_key": "k2", "_rank": 5}],
               "/routing/table": [{"name": "t2", "fib": True, "comment": "x"}]}
    r = reconcile(t, desired, "connection_marks", "overridden", [], {}, [], {}, check_mode=False)
    lab.control.cli("/ip firewall connection tracking set udp-timeout=99s")
    t.close()
    mid = export_body(lab.control.cli("/export"))
    assert mid != before
    lab.control.set_clock_rate(30)
    deadline = time.time() + 10
    while time.time() < deadline and any(r.get("name") == "multiwan-confirm" for r in lab.router.rows("/system/scheduler")):
        time.sleep(0.2)
    after = export_body(lab.control.cli("/export"))
    print(after)
    scripts = lab.router.rows("/system/script")
    assert [s["comment"] for s in scripts][0].startswith("multiwan commit-confirm: reverted run_id=run1")
    def strip(text):
        out, skip = [], False
        for l in text.splitlines():
            if l.startswith("/"):
                skip = l.startswith("/system script")
            if not skip:
                out.append(l)
        return "\n".join(out)
    assert strip(after) == strip(before)
