#!/usr/bin/env python3
"""swarm_mpi under mpirun prints what swarm rank prints (docs/mpi.md).

usage: mpi_matches_single.py SWARM SWARM_MPI MPIEXEC NP INCIDENT [swarm rank options...]
       mpi_matches_single.py --bad-input SWARM SWARM_MPI MPIEXEC NP

The JSON outputs must be byte-identical apart from the elapsed_s line (wall time); anything a
non-zero rank printed on stdout would show up as a difference. --bad-input: a missing incident
file makes every rank exit 2 with one clear message and nothing on stdout, without hanging.
Exit 77 (SKIPPED) when swarm_mpi was not built (no MPI at configure time).
"""
import os
import subprocess
import sys

# As root (CI containers) Open MPI refuses to start without these. The transport flags keep it
# working in containers: shared memory without the CMA single-copy path, which needs ptrace.
MPI_FLAGS = ["--oversubscribe", "--bind-to", "none", "--mca", "btl", "self,vader",
             "--mca", "btl_vader_single_copy_mechanism", "none"]
TIMEOUT_S = 240


def mpi_env():
    env = dict(os.environ)
    env.update({"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                "OMPI_MCA_rmaps_base_oversubscribe": "1"})
    return env


def run(command, env=None):
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, env=env)


def without_wall_time(text):
    return [line for line in text.splitlines() if not line.lstrip().startswith('"elapsed_s"')]


def mpirun(mpiexec, np, swarm_mpi, args):
    return run([mpiexec, *MPI_FLAGS, "-np", np, swarm_mpi, *args], env=mpi_env())


def check_match(swarm, swarm_mpi, mpiexec, np, incident, options):
    args = [incident, "--format", "json", *options]
    single = run([swarm, "rank", *args])
    if single.returncode != 0:
        print(f"swarm rank failed ({single.returncode}):\n{single.stderr}")
        return 1
    sharded = mpirun(mpiexec, np, swarm_mpi, args)
    if sharded.returncode != 0:
        print(f"swarm_mpi -np {np} failed ({sharded.returncode}):\n{sharded.stderr}")
        return 1
    expected, got = without_wall_time(single.stdout), without_wall_time(sharded.stdout)
    if expected != got:
        for i, (a, b) in enumerate(zip(expected, got)):
            if a != b:
                print(f"first difference at line {i + 1}:\n  swarm rank: {a}\n  swarm_mpi:  {b}")
                break
        print(f"swarm rank printed {len(expected)} lines, swarm_mpi -np {np} {len(got)}")
        return 1
    print(f"identical: swarm_mpi -np {np} and swarm rank, {len(expected)} lines "
          f"({' '.join(options) or 'defaults'})")
    return 0


def check_bad_input(swarm_mpi, mpiexec, np):
    # A missing file, and an endless one that is refused before anything reads it.
    for path in ("/nonexistent/incident.json", "/dev/zero"):
        if check_refused(swarm_mpi, mpiexec, np, path):
            return 1
    return 0


def check_refused(swarm_mpi, mpiexec, np, missing):
    try:
        result = mpirun(mpiexec, np, swarm_mpi, [missing, "--format", "json"])
    except subprocess.TimeoutExpired:
        print(f"{missing}: no answer within {TIMEOUT_S} s")
        return 1
    if result.returncode != 2:
        print(f"expected exit 2, got {result.returncode}:\n{result.stderr}")
        return 1
    if result.stdout:
        print(f"expected nothing on stdout, got:\n{result.stdout}")
        return 1
    messages = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    if len(messages) != 1 or missing not in messages[0]:
        print(f"expected one error naming {missing}, got:\n{result.stderr}")
        return 1
    print(f"bad input: exit 2 on every rank, one message: {messages[0]}")
    return 0


def main(argv):
    bad_input = argv[:1] == ["--bad-input"]
    if bad_input:
        argv = argv[1:]
    swarm, swarm_mpi, mpiexec, np = argv[:4]
    if not swarm_mpi or not mpiexec:
        print("SKIPPED: swarm_mpi is not built (no MPI at configure time: scripts/setup.sh "
              "installs libopenmpi-dev and openmpi-bin, then reconfigure)")
        return 77
    if bad_input:
        return check_bad_input(swarm_mpi, mpiexec, np)
    return check_match(swarm, swarm_mpi, mpiexec, np, argv[4], argv[5:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
