"""``scripts/demo.sh`` with LAB_PORT_OFFSET: two demos side by side, each lab and inventory on its own ports.

The playbook runs are replaced (through the script's ANSIBLE_PLAYBOOK) by a probe that reads the inventory
the demo hands to ansible-playbook with ``ansible-inventory`` and logs in to every router it names with
librouteros, while that demo's lab is up. The rollout itself is covered by the functional tests.
"""

import json
import os
import re
import subprocess
import sys
import textwrap

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOPOLOGY = os.path.join(ROOT, "inventory", "lab", "topology.yml")
# Far from the default ports (1870x, 1872x, 1802x) and from the Molecule scenario's (offset 100).
OFFSETS = (2300, 2400)

PROBE = textwrap.dedent("""\
    import json, os, subprocess, sys
    import librouteros
    args = sys.argv[1:]
    inventories = [args[i + 1] for i, arg in enumerate(args) if arg == "-i"]
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "--list"]
    for inventory in inventories:
        command += ["-i", inventory]
    hostvars = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)["_meta"]["hostvars"]
    seen = {}
    for host, values in sorted(hostvars.items()):
        api = librouteros.connect(host=values["ansible_host"], username=values["ansible_user"],
                                  password=values["ansible_password"], port=int(values["multiwan_api_port"]))
        seen[host] = {"api_port": int(values["multiwan_api_port"]), "ssh_port": int(values["ansible_port"]),
                      "identity": list(api.path("system", "identity"))[0]["name"]}
        api.close()
    playbook = [arg for arg in args if arg.startswith("playbooks/")][0]
    with open(os.path.join(os.environ["PROBE_OUT"], os.path.basename(playbook)), "w") as out:
        json.dump(seen, out)
    """)


def _routers():
    with open(TOPOLOGY, encoding="utf-8") as handle:
        return {r["name"]: r for r in yaml.safe_load(handle)}


def test_two_demos_run_side_by_side_on_moved_ports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("#!%s\n%s" % (sys.executable, PROBE))
    probe.chmod(0o755)
    procs = {}
    for offset in OFFSETS:
        out = tmp_path / ("out-%d" % offset)
        seen = tmp_path / str(offset)
        seen.mkdir()
        env = dict(os.environ, LAB_PORT_OFFSET=str(offset), DEMO_OUT=str(out), DEMO_LIFETIME="120",
                   ANSIBLE_PLAYBOOK=str(probe), PROBE_OUT=str(seen), PYTHON=sys.executable)
        procs[offset] = subprocess.Popen([os.path.join(ROOT, "scripts", "demo.sh")], env=env, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True)
    outputs = {offset: proc.communicate(timeout=240)[0] for offset, proc in procs.items()}
    routers = _routers()
    for offset, proc in procs.items():
        assert proc.returncode == 0, outputs[offset]
        log = (tmp_path / ("out-%d" % offset) / "lab.log").read_text()
        for name, router in routers.items():
            assert re.search(r"router %s api=127\.0\.0\.1:%d ssh=127\.0\.0\.1:%d ready" % (
                re.escape(name), router["api_port"] + offset, router["ssh_port"] + offset), log), log
        assert "control=127.0.0.1:%d ready" % (18700 + offset) in log
        for playbook in ("core.yml", "edge.yml"):
            with open(tmp_path / str(offset) / playbook, encoding="utf-8") as handle:
                seen = json.load(handle)
            assert seen == {name: {"api_port": r["api_port"] + offset, "ssh_port": r["ssh_port"] + offset,
                                   "identity": r["identity"]} for name, r in routers.items()}
        # the control port answered at its moved port: the counters of every router were read
        for name in routers:
            counters = json.loads((tmp_path / ("out-%d" % offset) / ("counters-%s.json" % name)).read_text())
            assert counters["ok"] is True
