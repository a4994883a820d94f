#!/usr/bin/env python3
"""Top frames of a JDK Flight Recorder file, from a given time on (e.g. after start-up), self and inclusive.

    python3 bench/jfr_top.py /tmp/tellus.jfr [--since 2026-12-01T03:44:00] [--until ...] [--top 25]

Self: the sampled top frame. Inclusive: samples whose stack holds a frame of that library (Hibernate, Jackson,
pgjdbc, Tomcat, Spring MVC, Tellus code, ...), so one sees what a request costs by layer. Needs `jfr` from the JDK
($JAVA_HOME/bin/jfr).
"""
import argparse
import collections
import json
import os
import subprocess

LAYERS = [
    ("Tellus code", "dev.tellus."),
    ("Hibernate", "org.hibernate."),
    ("Spring Data JPA", "org.springframework.data."),
    ("Spring transactions", "org.springframework.transaction."),
    ("Spring JDBC", "org.springframework.jdbc."),
    ("PostgreSQL JDBC", "org.postgresql."),
    ("HikariCP", "com.zaxxer.hikari."),
    ("Jackson", "tools.jackson."),
    ("Spring MVC", "org.springframework.web."),
    ("Tomcat", "org.apache.tomcat."),
    ("Catalina", "org.apache.catalina."),
    ("Micrometer", "io.micrometer."),
    ("strategies", "dev.tellus.strategy."),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--since", default="", help="ISO time (UTC); samples before it are ignored")
    parser.add_argument("--until", default="", help="ISO time (UTC); samples after it are ignored")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", args.file],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    self_counts, layers, total = collections.Counter(), collections.Counter(), 0
    for e in events:
        values = e["values"]
        if args.since and values["startTime"][:19] < args.since[:19]:
            continue
        if args.until and values["startTime"][:19] > args.until[:19]:
            continue
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        total += 1
        names = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]
        self_counts[names[0]] += 1
        for layer, prefix in LAYERS:
            if any(n.startswith(prefix) for n in names):
                layers[layer] += 1
    print(f"{total} samples" + (f" since {args.since}" if args.since else ""))
    print("\n| self (top frame) | samples | % |\n|---|---|---|")
    for name, n in self_counts.most_common(args.top):
        print(f"| `{name}` | {n} | {100 * n / total:.1f} |")
    print("\n| inclusive (a frame of) | samples | % |\n|---|---|---|")
    for name, n in layers.most_common():
        print(f"| {name} | {n} | {100 * n / total:.1f} |")


if __name__ == "__main__":
    main()
