"""mlopt's one exception hierarchy: every public entry point, given bad input,
raises an ``mlopt.MloptError`` subclass whose message names the file or
location once; the CLIs print such errors as one line without Python class
names; a bad target CPU never takes the process down."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper
from xdsl.utils.exceptions import ParseError, PassFailedException, VerifyException

import mlopt
import mlopt.backend as backend
from mlopt import errors
from mlopt.tools import mlopt_opt, mlopt_run

ERROR_CLASSES = [
    "MloptError", "ModelImportError", "VerificationError", "CompileError", "LoweringError",
    "TargetError", "InputError", "RuntimeCheckError", "IndexOutOfRangeError", "PluginError",
    "UsageError",
]  # fmt: skip


def add_model(shape=(4,)):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, list(shape))
    node = helper.make_node("Add", ["x", "x"], ["y"], name="add0")
    graph = helper.make_graph([node], "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


@pytest.fixture(scope="module")
def compiled():
    return mlopt.compile(add_model())


# ------------------------------------------------------------------ hierarchy


@pytest.mark.parametrize("name", ERROR_CLASSES)
def test_exported_from_mlopt(name):
    cls = getattr(mlopt, name)
    assert cls is getattr(errors, name) and name in mlopt.__all__
    assert issubclass(cls, mlopt.MloptError)


def test_every_error_class_of_mlopt_has_its_place():
    from mlopt.backends.llvm.translate import LLVMTranslationError
    from mlopt.frontends.onnx import ONNXImportError
    from mlopt.frontends.onnx_export import ONNXExportError
    from mlopt.passes.bufferize.errors import LoweringError as BufferizeLoweringError
    from mlopt.passes.onnx_opt.decompose import DecomposeError
    from mlopt.passes.onnx_opt.shape_inference import ShapeError
    from mlopt.passes.onnx_to_tensor.common import LoweringError as OnnxLoweringError
    from mlopt.passes.onnx_to_tensor.common import OpLoweringError
    from mlopt.passes.to_llvm.common import LLVMLoweringError
    from mlopt.pipeline_parse import PipelineError
    from mlopt.plugins import PluginError
    from mlopt.registry import RegistryError

    expected = {
        ONNXImportError: mlopt.ModelImportError,
        ONNXExportError: mlopt.MloptError,
        RegistryError: mlopt.PluginError,
        PluginError: mlopt.PluginError,
        OnnxLoweringError: mlopt.LoweringError,
        OpLoweringError: mlopt.LoweringError,
        BufferizeLoweringError: mlopt.LoweringError,
        LLVMLoweringError: mlopt.LoweringError,
        LLVMTranslationError: mlopt.CompileError,
        ShapeError: mlopt.CompileError,
        DecomposeError: mlopt.CompileError,
        PipelineError: mlopt.UsageError,
        mlopt_opt.UsageError: mlopt.UsageError,
        mlopt_run.UserError: mlopt.UsageError,
    }
    for cls, base in expected.items():
        assert issubclass(cls, base), (cls, base)
    # their xDSL bases stay, so the driver still reports them at the op
    assert issubclass(BufferizeLoweringError, PassFailedException)
    assert issubclass(LLVMLoweringError, PassFailedException)
    assert issubclass(mlopt.InputError, ValueError)


def test_xdsl_exceptions_are_translated_and_keep_their_class():
    e = errors.as_mlopt_error(PassFailedException("f.mlir:2:3: error: boom"))
    assert isinstance(e, mlopt.CompileError) and isinstance(e, PassFailedException)
    assert str(e) == "f.mlir:2:3: error: boom"
    e = errors.as_mlopt_error(VerifyException("bad"))
    assert isinstance(e, mlopt.VerificationError) and isinstance(e, VerifyException)
    assert errors.as_mlopt_error(KeyError("a bug")) is None  # bugs are not user errors
    with pytest.raises(mlopt.CompileError) as info, errors.public_errors():
        raise PassFailedException("x")
    assert isinstance(info.value.__cause__, PassFailedException)


# ------------------------------------------------------------ importing models


@pytest.mark.parametrize("entry", [mlopt.compile, mlopt.import_onnx, backend.prepare])
def test_missing_model_file(entry, tmp_path):
    path = str(tmp_path / "nosuch.onnx")
    with pytest.raises(mlopt.ModelImportError) as info:
        entry(path)
    assert str(info.value).count(path) == 1, info.value


@pytest.mark.parametrize("entry", [mlopt.compile, mlopt.import_onnx, backend.prepare])
def test_garbage_bytes(entry):
    with pytest.raises(mlopt.ModelImportError, match="^not a valid ONNX model: "):
        entry(b"garbage")


def test_garbage_file_names_the_file_once(tmp_path):
    path = tmp_path / "garbage.onnx"
    path.write_bytes(b"garbage")
    with pytest.raises(mlopt.ModelImportError, match="not a valid ONNX model"):
        mlopt.compile(path)
    assert main_opt([str(path)])[0] == 1


def test_not_a_model_object():
    with pytest.raises(mlopt.ModelImportError, match="cannot import an object of type int"):
        mlopt.compile(42)


def test_missing_mlir_file(tmp_path):
    path = str(tmp_path / "nosuch.mlir")
    for entry in (mlopt.parse_file, mlopt.compile):
        with pytest.raises(mlopt.ModelImportError) as info:
            entry(path)
        assert str(info.value) == f"{path}: no such file"


def test_unknown_onnx_op_names_node_and_op():
    model = add_model()
    model.graph.node[0].op_type = "NoSuchOp"
    with pytest.raises(mlopt.ModelImportError, match=r"node 'add0' \(NoSuchOp\): unknown operator"):
        mlopt.compile(model)


# --------------------------------------------------------------------- IR text

BAD_RETURN = "func.func @f() {\n  %0 = arith.constant 1 : i32\n  func.return %0 : i32\n}\n"


def test_invalid_ir_text():
    with pytest.raises(mlopt.VerificationError) as info:
        mlopt.parse("func.func @f( {", name="f.mlir")
    assert isinstance(info.value, ParseError)  # still xDSL's class too
    assert str(info.value).count("f.mlir:1:15") == 1
    assert "Expected argument or type" in str(info.value)


def test_ir_that_does_not_verify():
    with pytest.raises(mlopt.VerificationError) as info:
        mlopt.parse(BAD_RETURN, name="f.mlir")
    assert isinstance(info.value, VerifyException)
    assert str(info.value).startswith("f.mlir:3:3: error: ") and str(info.value).count("f.mlir") == 1


def test_value_a_builder_rejects_while_parsing_is_located():
    text = "func.func @f() {\n  %0 = arith.constant 99999999999 : i8\n  func.return\n}\n"
    with pytest.raises(mlopt.VerificationError, match=r"^f\.mlir:\d+:\d+: error: Integer value 99999999999"):
        mlopt.parse(text, name="f.mlir")


def test_bad_ir_file(tmp_path):
    path = tmp_path / "bad.mlir"
    path.write_text(BAD_RETURN)
    with pytest.raises(mlopt.VerificationError, match=rf"^{path}:3:3: error: "):
        mlopt.parse_file(path)


# -------------------------------------------------------------------- pipelines


@pytest.mark.parametrize(
    ("pipeline", "message"),
    [
        ("no-such-pass", "unknown pass 'no-such-pass'"),
        ("canonicalize{", "unbalanced"),
        ("builtin.module(cse", "unbalanced"),
        ("canonicalize{no-such-option=1}", "bad options for pass 'canonicalize'"),
    ],
)
def test_bad_pipeline(pipeline, message):
    module = mlopt.parse("func.func @f() {\n  func.return\n}\n")
    with pytest.raises(mlopt.UsageError, match=message):
        mlopt.run_pipeline(module, pipeline)


def test_failing_pass_is_a_compile_error():
    module = mlopt.import_onnx(add_model(shape=("N",)))
    with pytest.raises(mlopt.LoweringError, match=r"'add0'.*dynamic shape"):
        mlopt.run_pipeline(module, "convert-onnx-to-tensor")


# ----------------------------------------------------------------- calling


def test_wrong_inputs_at_call(compiled):
    x = np.zeros(4, np.float32)
    cases = [
        ((x, x), {}, "expected 1 input"),
        ((), {}, "missing input 'x'"),
        ((np.zeros(5, np.float32),), {}, r"input 'x': expected shape \(4,\), got \(5,\)"),
        ((np.zeros(4, np.float64),), {}, "input 'x': expected dtype float32, got float64"),
        ((), {"z": x}, "unknown input 'z'"),
        ((["a", "b", "c", "d"],), {}, "input 'x': cannot convert"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(mlopt.InputError, match=message):
            compiled(*args, **kwargs)
    np.testing.assert_array_equal(compiled(x + 1)[0], 2 * (x + 1))


def test_wrong_inputs_through_the_onnx_backend():
    rep = backend.prepare(add_model())
    with pytest.raises(mlopt.InputError, match="takes 1 input"):
        rep.run([np.zeros(4, np.float32)] * 2)
    with pytest.raises(mlopt.InputError, match="expected shape"):
        rep.run([np.zeros(3, np.float32)])
    with pytest.raises(mlopt.UsageError, match="only the CPU"):
        backend.prepare(add_model(), device="CUDA")


def test_bad_option_values():
    with pytest.raises(mlopt.CompileError, match="opt_level"):
        mlopt.compile(add_model(), opt_level=7)
    with pytest.raises(ValueError, match="num_threads"):  # still a ValueError too
        mlopt.compile(add_model(), num_threads=0)


# ------------------------------------------------------------------- targets


@pytest.mark.parametrize(
    ("cpu", "message"),
    [
        ("nosuchcpu", "unknown target CPU 'nosuchcpu'"),
        ("aarch64-linux-gnu", "unknown target CPU 'aarch64-linux-gnu'.*looks like a target triple"),
        ("skylak", "did you mean 'skylake'"),
        ("pentium4", "cannot generate code for CPU 'pentium4'.*64-bit"),  # known, but 32-bit only
        ("help", "bad target CPU name"),
    ],
)
def test_bad_target_cpu_raises_and_the_process_lives_on(cpu, message):
    """In-process on purpose: LLVM used to abort the interpreter here."""
    with pytest.raises(mlopt.TargetError, match=message):
        mlopt.compile(add_model(), target_cpu=cpu)
    assert mlopt.compile(add_model(), target_cpu="x86-64")(np.ones(4, np.float32))[0][0] == 2.0


def test_bad_target_cpu_for_emit():
    from mlopt.backends.llvm import emit

    module = mlopt.import_onnx(add_model())
    mlopt.run_pipeline(module, "onnx-to-llvm")
    with pytest.raises(mlopt.TargetError, match="unknown target CPU 'nosuchcpu'"):
        emit(module, "asm", target_cpu="nosuchcpu")


def test_bad_triple_and_features():
    from mlopt.backends.llvm.target import check_target
    from mlopt.backends.llvm.translate import translate_module

    with pytest.raises(mlopt.TargetError, match="unknown target triple 'nosucharch-linux-gnu'"):
        check_target(triple="nosucharch-linux-gnu")
    module = mlopt.import_onnx(add_model())
    mlopt.run_pipeline(module, "onnx-to-llvm")
    with pytest.raises(mlopt.TargetError, match="unknown target triple"):
        translate_module(module, triple="nosucharch-unknown-linux")
    with pytest.raises(mlopt.TargetError, match="unknown target feature 'avx3' for .*; did you mean 'avx'"):
        check_target("x86-64", "+avx3")
    with pytest.raises(mlopt.TargetError, match="expected '\\+name' or '-name'"):
        check_target("x86-64", "avx2")
    check_target("skylake", "+avx2,-avx512f")  # fine


# ---------------------------------------------------------------------- CLIs


def main_opt(argv, capsys=None):
    rc = mlopt_opt.main(argv)
    return rc, capsys.readouterr() if capsys else None


def assert_one_clean_line(err: str, prog: str):
    assert err.startswith(f"{prog}: error: ") or ": error: " in err.splitlines()[0], err
    assert "Traceback" not in err
    for name in ("ONNXImportError", "OpLoweringError", "LoweringError:", "TargetError", "UsageError",
                 "UserError", "ModelImportError", "ValueError"):
        assert name not in err, err


def test_mlopt_bad_target_cpu(tmp_path, capsys):
    model = tmp_path / "m.onnx"
    model.write_bytes(add_model().SerializeToString())
    rc, out = main_opt([str(model), "-p", "onnx-to-llvm", "--emit=asm", "--target-cpu", "nosuchcpu"], capsys)
    assert rc == 1
    assert out.err == "mlopt: error: --target-cpu: unknown target CPU 'nosuchcpu' for " \
        f"{__import__('llvmlite.binding').binding.get_default_triple()}\n"


def test_no_prefix_matching(capsys):
    with pytest.raises(SystemExit) as info:
        mlopt_opt.main(["--target", "aarch64-linux-gnu"])
    assert info.value.code == 1
    assert "unrecognized arguments: --target" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        mlopt_run.main(["--target", "aarch64-linux-gnu"])
    assert info.value.code == 1
    assert "unrecognized arguments: --target" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        mlopt_run.main(["--thread", "2"])  # not --threads
    assert "unrecognized arguments: --thread" in capsys.readouterr().err


def test_mlopt_missing_model_names_the_file_once(tmp_path, capsys):
    path = str(tmp_path / "nosuch.onnx")
    rc, out = main_opt([path], capsys)
    assert rc == 1 and out.err.count(path) == 1
    assert_one_clean_line(out.err, "mlopt")


def test_mlopt_run_errors_name_the_file_once_without_class_names(tmp_path, capsys):
    bad = add_model()
    bad.graph.node[0].op_type = "NoSuchOp"
    path = tmp_path / "bad.onnx"
    path.write_bytes(bad.SerializeToString())
    assert mlopt_run.main([str(path), "--random"]) == 1
    err = capsys.readouterr().err
    assert err == f"mlopt-run: error: {path}: node 'add0' (NoSuchOp): unknown operator 'NoSuchOp' " \
        "of domain 'ai.onnx'\n"
    dyn = tmp_path / "dyn.onnx"
    dyn.write_bytes(add_model(shape=("N",)).SerializeToString())
    assert mlopt_run.main([str(dyn), "--random", "--shape", "x=0x"]) == 1
    err = capsys.readouterr().err
    assert_one_clean_line(err, "mlopt-run")


def test_mlopt_run_check_without_onnxruntime(tmp_path, monkeypatch, capsys):
    path = tmp_path / "m.onnx"
    path.write_bytes(add_model().SerializeToString())
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # `import onnxruntime` fails
    assert mlopt_run.main([str(path), "--random", "--check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mlopt-run: error: --check compares with onnxruntime, which is not installed")
    assert "pip install onnxruntime" in err and err.count("\n") == 1


def test_runtime_compile_model_raises_mlopt_errors():
    """The runtime's own entry point, not only ``mlopt.compile``."""
    from mlopt.backends.runtime import compile_model

    path = Path(__file__).resolve().parents[1] / "examples" / "digits" / "digits_mlp.onnx"
    for kwargs, text in (({"opt_level": 7}, "opt_level"), ({"num_threads": 0}, "num_threads")):
        with pytest.raises(mlopt.MloptError, match=text):
            compile_model(str(path), **kwargs)
    with pytest.raises(mlopt.MloptError, match="input_shapes names unknown input 'nosuch'"):
        compile_model(str(path), input_shapes={"nosuch": (1, 64)})


@pytest.mark.parametrize(
    "exc,words",
    [(KeyError("boom"), "missing key 'boom'"), (AssertionError(), "an internal assertion failed"),
     (RuntimeError(""), "an unexpected failure with no message"), (TypeError("bad operand"), "bad operand")],
)
def test_internal_errors_are_one_line_without_class_names(monkeypatch, capsys, exc, words):
    """A bug (an unexpected exception) is reported as one, in words: the class
    name is for --traceback."""

    def crash(args):
        raise exc

    monkeypatch.setattr(mlopt_run, "run", crash)
    assert mlopt_run.main(["m.onnx"]) == 1
    err = capsys.readouterr().err
    assert err == f"mlopt-run: error: internal error ({words}); this is a bug in mlopt or a plugin, " \
        "rerun with --traceback\n"
    assert type(exc).__name__ not in err
