"""The swarm Python module (python/swarm_module.cpp): rank() takes the incident as a dict and
returns the JSON contract of docs/api.md, equal to `swarm rank --format json`; bad input raises
swarm.InvalidIncident with the JSON path. Run by ctest (python_module) with PYTHONPATH set to
the module's build directory and SWARM_BINARY / SWARM_SOURCE_DATA_DIR in the environment."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import swarm

DATA = Path(os.environ["SWARM_SOURCE_DATA_DIR"])
BINARY = os.environ["SWARM_BINARY"]


def example():
    with open(DATA / "incidents" / "scenario1-low-fcs.json") as f:
        return json.load(f)


class RankTest(unittest.TestCase):
    def test_equals_the_cli(self):
        result = swarm.rank(example(), seed=3, threads=2, data_dir=str(DATA))
        cli = json.loads(subprocess.run(
            [BINARY, "rank", str(DATA / "incidents" / "scenario1-low-fcs.json"), "--format", "json",
             "--seed", "3", "--threads", "1", "--data-dir", str(DATA)],
            capture_output=True, text=True, check=True).stdout)
        for entry in cli["ranking"]:
            entry.pop("explanation", None)  # the CLI's addition (docs/api.md, Explanations)
        self.assertEqual(result["ranking"], cli["ranking"])
        self.assertEqual(result["healthy"], cli["healthy"])
        self.assertEqual(result["incident"], "scenario1-low-fcs")

    def test_table_set_by_name(self):
        result = swarm.rank(example(), tables="analytic-reno", data_dir=str(DATA))
        self.assertEqual(result["tables"], "analytic-reno")

    def test_invalid_incident_names_the_path(self):
        incident = example()
        incident["failures"][0]["drop_rate"] = 2
        with self.assertRaises(swarm.InvalidIncident) as caught:
            swarm.rank(incident, data_dir=str(DATA))
        self.assertEqual(caught.exception.json_path, "$.failures[0].drop_rate")
        self.assertIsInstance(caught.exception, ValueError)
        self.assertIn("drop_rate", str(caught.exception))

    def test_transport_section(self):
        # An incident naming table sets ranks: rank() loads them from the data directory.
        incident = example()
        incident["transport"] = {"mix": [{"cc": "cubic", "probability": 0.5},
                                         {"cc": "reno", "probability": 0.5}]}
        result = swarm.rank(incident, data_dir=str(DATA))
        self.assertEqual(len(result["ranking"]), len(incident["candidates"]))
        self.assertIn(",", result["tables"])  # the mix, e.g. "ns3-cubic:0.5,analytic-reno:0.5"

    @unittest.skipUnless(os.environ.get("SWARM_BUILD_DIR"), "needs the build directory")
    def test_moved_installation_finds_its_data(self):
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "prefix"
            subprocess.run([os.environ["SWARM_CMAKE_COMMAND"], "--install", os.environ["SWARM_BUILD_DIR"],
                            "--prefix", str(prefix)], check=True, capture_output=True)
            moved = Path(tmp) / "moved"
            shutil.move(str(prefix), str(moved))
            env = {k: v for k, v in os.environ.items() if k != "SWARM_DATA_DIR"}
            env["PYTHONPATH"] = str(moved / "lib" / "python3" / "dist-packages")
            found = subprocess.run([sys.executable, "-c", "import swarm; print(swarm.data_dir())"],
                                   env=env, check=True, capture_output=True, text=True).stdout.strip()
            self.assertEqual(Path(found).resolve(), (moved / "share" / "swarm" / "data").resolve())

    def test_version(self):
        self.assertRegex(swarm.__version__, r"^\d+\.\d+\.\d+$")


if __name__ == "__main__":
    unittest.main()
