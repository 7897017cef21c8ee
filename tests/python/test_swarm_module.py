"""The swarm Python module (python/swarm_module.cpp): rank() takes the incident as a dict and
returns the JSON contract of docs/api.md, equal to `swarm rank --format json`; bad input raises
swarm.InvalidIncident with the JSON path. Run by ctest (python_module) with PYTHONPATH set to
the module's build directory and SWARM_BINARY / SWARM_SOURCE_DATA_DIR in the environment."""
import json
import os
import subprocess
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

    def test_version(self):
        self.assertRegex(swarm.__version__, r"^\d+\.\d+\.\d+$")


if __name__ == "__main__":
    unittest.main()
