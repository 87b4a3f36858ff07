"""Runs bundles and graphs through Java: the engine's `embed` command and ONNX Runtime Java (OrtRun.java).

The Python side here has no onnxruntime package, so every numeric check of an exported graph goes
through the same ONNX Runtime the engine uses. The jar is `target/koclip-search.jar` (or
$KOCLIP_JAR); Java is $JAVA_HOME/bin/java, a Temurin under /usr/lib/jvm, or `java` on the PATH,
whichever is 21 or newer first.
"""

import glob
import json
import os
import shutil
import subprocess
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def _java_major(java):
    try:
        out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True,
                             timeout=60).stderr
    except (OSError, subprocess.TimeoutExpired):
        return 0
    for line in out.splitlines():
        if "java.specification.version" in line:
            try:
                return int(line.split("=")[1].strip().split(".")[0])
            except ValueError:
                return 0
    return 0


def find_java():
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    candidates += sorted(glob.glob("/usr/lib/jvm/temurin-*/bin/java"), reverse=True)
    if shutil.which("java"):
        candidates.append(shutil.which("java"))
    for java in candidates:
        if os.access(java, os.X_OK) and _java_major(java) >= 21:
            return java
    return None


def find_jar():
    jar = os.environ.get("KOCLIP_JAR") or os.path.join(REPO, "target", "koclip-search.jar")
    return jar if os.path.exists(jar) else None


def why_unavailable():
    """None when Java runs are possible, else the reason (for test skips)."""
    if find_jar() is None:
        return "no target/koclip-search.jar (build it: ./mvnw -q -DskipTests package, or set KOCLIP_JAR)"
    if find_java() is None:
        return "no Java 21+ found (set JAVA_HOME)"
    return None


def _ort_jar():
    """The onnxruntime jar inside the engine's jar, extracted once per jar version."""
    jar = find_jar()
    cache = os.path.join(tempfile.gettempdir(), f"koclip-ortrun-{os.getuid()}")
    os.makedirs(cache, exist_ok=True)
    with zipfile.ZipFile(jar) as z:
        names = [n for n in z.namelist() if os.path.basename(n).startswith("onnxruntime") and n.endswith(".jar")]
        if not names:
            raise RuntimeError(f"{jar} has no onnxruntime jar inside")
        target = os.path.join(cache, os.path.basename(names[0]))
        if not os.path.exists(target):
            with z.open(names[0]) as src, open(target + ".part", "wb") as dst:
                shutil.copyfileobj(src, dst)
            os.replace(target + ".part", target)
    return target


def _native_dir():
    """ONNX Runtime's native libraries for this platform, extracted once beside the cached jar.

    Passed as -Donnxruntime.native.path so that test runs leave no /tmp/onnxruntime-java* folder per JVM
    (the same thing bin/koclip-search does). None when the platform folder is not in the jar.
    """
    import platform
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "aarch64", "arm64": "aarch64"}.get(platform.machine().lower())
    system = {"Linux": "linux", "Darwin": "osx"}.get(platform.system())
    if machine is None or system is None:
        return None
    ort = _ort_jar()
    target = os.path.join(os.path.dirname(ort), f"{os.path.basename(ort)[:-4]}-native-{system}-{machine}")
    if not os.path.isdir(target):
        prefix = f"ai/onnxruntime/native/{system}-{machine}/"
        part = tempfile.mkdtemp(dir=os.path.dirname(ort), prefix=".native-")
        with zipfile.ZipFile(ort) as z:
            for name in z.namelist():
                if name.startswith(prefix) and "/" not in name[len(prefix):] and name != prefix:
                    with z.open(name) as src, open(os.path.join(part, os.path.basename(name)), "wb") as dst:
                        shutil.copyfileobj(src, dst)
        if not os.listdir(part):
            shutil.rmtree(part)
            return None
        try:
            os.rename(part, target)
        except OSError:
            shutil.rmtree(part, ignore_errors=True)  # a concurrent run extracted it first
    return target


def _native_flags():
    native = _native_dir()
    return [f"-Donnxruntime.native.path={native}"] if native else []


def _ort_classpath():
    """onnxruntime jar + OrtRun compiled once (javac beside the java found), as a class path."""
    ort = _ort_jar()
    classes = os.path.join(os.path.dirname(ort), "classes")
    source = os.path.join(HERE, "OrtRun.java")
    compiled = os.path.join(classes, "OrtRun.class")
    if not os.path.exists(compiled) or os.path.getmtime(compiled) < os.path.getmtime(source):
        javac = os.path.join(os.path.dirname(find_java()), "javac")
        done = subprocess.run([javac, "-d", classes, "-cp", ort, source], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"javac OrtRun.java failed: {done.stderr[-3000:]}")
    return ort + os.pathsep + classes


def run_graph(model_path, output, inputs, threads=0, repeat=0, timeout=900):
    """Runs an ONNX graph on {name: numpy array (float32 or int64)}.

    Returns (output array, {"loadMs": .., "runMs": [..]}).
    """
    return run_graphs([model_path], output, inputs, threads, repeat, timeout)[0]


def run_graphs(model_paths, output, inputs, threads=0, repeat=0, timeout=1800):
    """Runs several graphs with the same inputs in one JVM, their timed runs alternating.

    Returns [(output array, {"loadMs": .., "runMs": [..]}), ...] in the order of model_paths.
    """
    with tempfile.TemporaryDirectory(prefix="koclip-graph-inputs-") as tmp:
        specs = []
        for name, array in inputs.items():
            array = np.array(array, order="C")
            kind = {np.dtype(np.float32): "f32", np.dtype(np.int64): "i64"}[array.dtype]
            path = os.path.join(tmp, name + ".bin")
            array.astype(array.dtype.newbyteorder("<")).tofile(path)
            specs.append(f"{name}:{kind}:{','.join(str(d) for d in array.shape)}:{path}")
        command = [find_java(), "--enable-native-access=ALL-UNNAMED"] + _native_flags() + ["-cp", _ort_classpath(),
                   "OrtRun", ",".join(model_paths), output, "--threads", str(threads),
                   "--repeat", str(repeat)] + specs
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, ORT_DISABLE_TELEMETRY="1"))
        if done.returncode != 0:
            raise RuntimeError(f"OrtRun failed ({done.returncode}): {done.stderr[-3000:]}")
        results = json.loads(done.stdout.strip().splitlines()[-1])["results"]
        return [(np.array(r["values"], dtype=np.float32).reshape(r["shape"]),
                 {"loadMs": r["loadMs"], "runMs": r["runMs"]}) for r in results]


def embed(bundle, images=(), texts=(), extra_args=(), timeout=900):
    """Runs `koclip-search.jar embed` and returns (list of JSON lines, stderr)."""
    command = [find_java(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"]
    command += _native_flags() + ["-jar", find_jar(), "embed", "--model", bundle]
    for image in images:
        command += ["--image", image]
    for text in texts:
        command += ["--text", text]
    command += list(extra_args)
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, ORT_DISABLE_TELEMETRY="1"))
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode not in (0, 2) or not lines:
        raise EngineError(f"embed failed ({done.returncode}): {done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return lines, done.stderr


class EngineError(RuntimeError):
    pass


def cosine(a, b):
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
