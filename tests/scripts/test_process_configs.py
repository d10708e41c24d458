"""The production supervisors run what the Procfile lists: a systemd unit and a supervisord program per process
(release is a one-off step), with the same command, restarted whenever it exits."""
import configparser

from tests.support.app import ROOT

VENV_BIN = "/opt/interview/.venv/bin/"


def procfile(name):
    entries = [line.partition(":") for line in (ROOT / name).read_text().splitlines() if line.strip()]
    return {key.strip(): command.strip() for key, _, command in entries}


def ini(path):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path)
    return parser


def test_every_procfile_process_has_a_systemd_unit_that_always_restarts():
    processes = procfile("Procfile")
    processes.pop("release")
    units = {path.name: ini(path) for path in (ROOT / "config" / "systemd").glob("*.service")}
    target = ini(ROOT / "config" / "systemd" / "interview.target")["Unit"]["Wants"].split()
    for name, command in processes.items():
        unit_name = "interview-worker@.service" if name == "worker" else f"interview-{name.replace('_', '-')}.service"
        unit = units.pop(unit_name)
        assert unit["Service"]["ExecStart"] == VENV_BIN + command, (name, unit["Service"]["ExecStart"])
        assert unit["Service"]["Restart"] == "always" and unit["Unit"]["StartLimitIntervalSec"] == "0", name
        assert unit_name.replace("@.", "@1.") in target, (unit_name, target)
    assert not units, f"units for no Procfile process: {list(units)}"


def test_every_procfile_process_has_a_supervisord_program_that_always_restarts():
    processes = procfile("Procfile")
    processes.pop("release")
    conf = ini(ROOT / "config" / "supervisord.conf")
    programs = {section.split(":", 1)[1]: conf[section] for section in conf.sections()
                if section.startswith("program:")}
    assert set(programs) == set(processes)
    for name, command in processes.items():
        assert programs[name]["command"] == VENV_BIN + command, name
        assert programs[name]["autorestart"] == "true" and programs[name]["stopasgroup"] == "true", name


def test_the_development_run_has_the_production_processes():
    production = set(procfile("Procfile")) - {"release"}
    assert production <= set(procfile("Procfile.dev")), production
