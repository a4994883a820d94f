"""Shared plumbing for the fault scripts: start Tellus jars as separate processes, talk HTTP, fail over."""
import glob
import http.client
import json
import os
import subprocess
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _major(java_binary):
    try:
        out = subprocess.run([java_binary, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    except OSError:
        return 0
    for line in out.splitlines():
        if "java.specification.version" in line:
            return int(line.split("=")[1].strip().split(".")[0])
    return 0


def java():
    """A Java 21+ runtime: JAVA_HOME's if new enough, else the newest under /usr/lib/jvm, else `java`."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    candidates += sorted(glob.glob("/usr/lib/jvm/*/bin/java"), key=lambda j: -_major(j))
    for candidate in candidates:
        if _major(candidate) >= 21:
            return candidate
    return "java"


def jar():
    jars = sorted(glob.glob(os.path.join(ROOT, "target", "tellus-*.jar")))
    if not jars:
        raise SystemExit("No jar in target/: run ./mvnw -q package -DskipTests first")
    return jars[-1]


def fresh_database(admin_url, name):
    """Drops and creates a database with psql (the machine's PostgreSQL, trust auth) and returns its JDBC URL."""
    u = urllib.parse.urlparse(admin_url)
    base = ["psql", "-h", u.hostname, "-p", str(u.port or 5432), "-U", u.username or "postgres", "-q", "-c"]
    subprocess.run(base + [f"drop database if exists {name} with (force)"], check=True)
    subprocess.run(base + [f"create database {name}"], check=True)
    return f"jdbc:postgresql://{u.hostname}:{u.port or 5432}/{name}", u.username or "postgres"


def start(port, jdbc_url, user, log_path, extra_env=None):
    env = dict(os.environ, SERVER_PORT=str(port), SPRING_DATASOURCE_URL=jdbc_url,
               SPRING_DATASOURCE_USERNAME=user, SPRING_DATASOURCE_PASSWORD="", TELLUS_REAPER_INTERVAL="PT1S")
    env.update(extra_env or {})
    log = open(log_path, "w")
    process = subprocess.Popen([java(), "-jar", jar()], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            status, _ = Client(port).call("GET", "/actuator/health")
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"Tellus on port {port} exited; see {log_path}")
        time.sleep(0.5)
    raise SystemExit(f"Tellus on port {port} did not start; see {log_path}")


class Client:
    """One keep-alive connection to one instance; raises OSError when the instance is unreachable."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, headers=None):
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=h)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise OSError(str(e)) from e
        text = data.decode()
        return response.status, (json.loads(text) if text and "json" in (response.getheader("Content-Type") or "") else text)
