#!/usr/bin/python3
"""Tests of the exporters as a user runs them, on random-weight checkpoints made here:

* several exporters in ONE Python process: clip_image.py (a tiny CLIP built by the official
  clip/model.py, and a LAION head loaded through the official vbench/aesthetic_quality.py), then
  amt.py (AMT-S), then clip_image.py again, then clip_text_b32.py, viclip.py and umt.py (on the
  checkpoints of the appearance_style / viclip goldens, rebuilt here, and a random reduced UMT;
  the first two must reproduce the committed tiny fixtures byte for byte, umt.py must refuse a
  checkpoint whose keys do not fit), then clip_image.py once more; their official sources and
  stand-ins (`vbench` of different extracted trees, `clip`, `decord`, `omegaconf`, `timm`,
  `einops`, ...) no longer collide in sys.modules;
  with GENBENCH_SLOW_EXPORT_TESTS=1 also amt.py then raft.py (RAFT small; several minutes);
* every `official-*` temp extract an exporter makes is gone when it returns;
* musiq.py exits non-zero, writing nothing, when the contract does not reproduce the official
  forward (the check is made to fail by shifting the wrapper's output).

  /usr/bin/python3 tools/export/test_exporters_together.py     (exit 0: passed; 77: skipped, no torch/onnx)

Run by tests/tools/exporters.test.ts, which skips with the reason when /usr/bin/python3 lacks them.
"""
import json
import os
import sys
import tempfile
import unittest

try:
    import onnx  # noqa: F401
    import torch
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: {e} (the exporters need torch and onnx in this Python)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
sys.path.insert(0, os.path.join(HERE, "..", "parity", "shims_musiq"))
import parity_common as pc  # noqa: E402

VBENCH = pc.pick_vbench(None)


class ExtractRecorder:
    """Records the temp dirs extract_files makes (the exporters' `official-*` extracts)."""

    def __enter__(self):
        self.dirs = []
        self._orig = pc.extract_files

        def recording(*a, **k):
            d = self._orig(*a, **k)
            self.dirs.append(d)
            return d

        pc.extract_files = recording
        return self

    def __exit__(self, *exc):
        pc.extract_files = self._orig


def random_amt_checkpoint(path):
    import amt_motion_smoothness_golden as amt
    with pc.isolated_imports():
        root, _ = amt.materialise(VBENCH)
        ms = amt.official_vbench.load_official_module(root, "motion_smoothness")
        from vbench.third_party.amt.utils.build_utils import build_from_cfg
        torch.manual_seed(0)
        model = build_from_cfg(ms.OmegaConf.load(os.path.join(root, amt.CFG_REL)).network)
        torch.save({"state_dict": model.state_dict()}, path)


def random_raft_small_checkpoint(path):
    import official_raft as orf
    with pc.isolated_imports():
        ns = orf.load(VBENCH)
        torch.manual_seed(0)
        model = ns.RAFT(orf.EasyDict({"small": True, "mixed_precision": False, "alternate_corr": False}))
        torch.save({f"module.{k}": v for k, v in model.state_dict().items()}, path)


def golden_b32_checkpoint(dir_):
    """The reduced CLIP checkpoint (TorchScript archive) of tools/parity/appearance_style_golden.py."""
    import official_clip as oc
    path = os.path.join(dir_, "b32-golden.pt")
    with pc.isolated_imports():
        import appearance_style_golden as asg
        clip, _ = oc.load_clip_package(pc.pick_source(None, oc.DEFAULT_CLIP, "CLIP"))
        root = pc.materialise(VBENCH, ["vbench/VBench_full_info.json"], pc.VBENCH_COMMIT, "vbench/__init__.py")
        with open(os.path.join(root, "vbench", "VBench_full_info.json")) as f:
            styles = asg.distinct_styles(asg.style_entries(json.load(f)))
        rows = sorted({int(t) for _, s in styles for t in clip.tokenize([s])[0] if int(t)})
        asg.build_checkpoint(clip, rows, path)
    return path


def golden_viclip_checkpoint(dir_):
    """The reduced ViCLIP checkpoint ({'model': state_dict}) of tools/parity/viclip_golden.py."""
    path = os.path.join(dir_, "viclip-golden.pth")
    with pc.isolated_imports(), tempfile.TemporaryDirectory(prefix="viclip-cache-") as cache:
        import official_viclip as ov
        import viclip_golden as vg
        _, _, viclip = ov.load(VBENCH, cache)
        with ov.reduced(viclip, vg.CONFIG):
            torch.manual_seed(vg.SEED)
            model = ov.load_checkpoint(viclip, None)
            vg.init_weights(model)
            torch.save({"model": model.state_dict()}, path)
    return path


def random_umt_checkpoint(dir_):
    """A random reduced UMT (tools/parity/umt_golden.py CONFIG) as a plain state dict."""
    path = os.path.join(dir_, "umt-random.pth")
    with pc.isolated_imports(), tempfile.TemporaryDirectory(prefix="umt-cache-") as cache:
        import official_umt as ou
        import umt_golden as ug
        ou.load(VBENCH, cache)
        with ou.reduced(ug.CONFIG):
            torch.manual_seed(0)
            torch.save(ou.create().state_dict(), path)
    return path


class ExportersTogether(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="genbench-export-test-")
        cls.dir = cls.tmp.name
        torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_exporter(self, module, argv):
        with ExtractRecorder() as rec:
            module.main(argv)
        for d in rec.dirs:
            self.assertFalse(os.path.exists(d), f"{module.__name__}: temp extract {d} left behind")
        return rec.dirs

    def tiny_clip_checkpoints(self):
        """A tiny ViT CLIP (512-d embeddings, as ViT-B/32's) saved as a plain state dict, and a random LAION head."""
        import official_clip as oc
        b32 = os.path.join(self.dir, "tiny-clip.pt")
        laion = os.path.join(self.dir, "laion-random.pth")
        with pc.isolated_imports():
            model_mod = oc.load_clip_model_module(pc.pick_source(None, oc.DEFAULT_CLIP, "CLIP"))
            torch.manual_seed(0)
            clip = model_mod.CLIP(embed_dim=512, image_resolution=224, vision_layers=1, vision_width=64, vision_patch_size=32,
                                  context_length=77, vocab_size=64, transformer_width=64, transformer_heads=1, transformer_layers=1)
            torch.save(clip.state_dict(), b32)
        torch.save(torch.nn.Linear(768, 1).state_dict(), laion)
        return b32, laion

    def test_clip_amt_clip_in_one_process(self):
        import amt as amt_export
        import clip_image as clip_export
        b32, laion = self.tiny_clip_checkpoints()
        amt_ckpt = os.path.join(self.dir, "amt-s-random.pth")
        random_amt_checkpoint(amt_ckpt)
        self.assertEqual({n for n in sys.modules if n.split(".")[0] in ("vbench", "clip", "decord")}, set(),
                         "the checkpoint builders left stand-ins behind")
        clip_dir = os.path.join(self.dir, "clip")
        self.assertTrue(self.run_exporter(clip_export, ["--b32", b32, "--laion", laion, "--out-dir", clip_dir]),
                        "clip_image.py extracted nothing from the bare mirrors (are they checkouts?)")
        self.assertNotIn("vbench", sys.modules)
        amt_out = os.path.join(self.dir, "amt.onnx")
        self.run_exporter(amt_export, [amt_ckpt, amt_out])
        clip_again = os.path.join(self.dir, "clip-again")
        self.run_exporter(clip_export, ["--b32", b32, "--laion", laion, "--out-dir", clip_again])
        for name in ("clip-vit-b32-image.onnx", "laion-aesthetic-vit-l14.onnx"):
            onnx.checker.check_model(onnx.load(os.path.join(clip_dir, name)))
            with open(os.path.join(clip_dir, name), "rb") as a, open(os.path.join(clip_again, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), f"{name}: the second export in the same process differs from the first")
        onnx.checker.check_model(onnx.load(amt_out))
        self.semantic_exporters(clip_export, b32, laion, clip_again)

    def semantic_exporters(self, clip_export, b32, laion, clip_again):
        """clip_text_b32.py, viclip.py, umt.py in the same process, then clip_image.py again."""
        import clip_text_b32 as b32_text_export
        import umt as umt_export
        import viclip as viclip_export
        root = pc.ROOT
        b32_ckpt, viclip_ckpt, umt_ckpt = golden_b32_checkpoint(self.dir), golden_viclip_checkpoint(self.dir), random_umt_checkpoint(self.dir)
        self.assertEqual({n for n in sys.modules if n.split(".")[0] in ("vbench", "clip", "decord", "timm", "einops")}, set(),
                         "the checkpoint builders left stand-ins behind")
        with open(os.path.join(root, "tests/golden/vbench-appearance-style.json")) as f:
            text_sha = json.load(f)["models"]["text"]["sha256"]
        with open(os.path.join(root, "tests/golden/vbench-viclip.json")) as f:
            viclip_models = json.load(f)["models"]
        out = os.path.join(self.dir, "semantic")
        self.run_exporter(b32_text_export, ["--checkpoint", b32_ckpt, "--out-dir", out])
        self.assertEqual(pc.sha256_file(os.path.join(out, "clip-vit-b32-text.onnx")), text_sha,
                         "clip_text_b32.py on the golden's checkpoint does not reproduce tests/fixtures/models/clip-b32-tiny-text.onnx")
        import viclip_golden
        self.run_exporter(viclip_export, ["--checkpoint", viclip_ckpt, "--out-dir", out, "--reduced-config", json.dumps(viclip_golden.CONFIG)])
        self.assertEqual(pc.sha256_file(os.path.join(out, "viclip-l14-video.onnx")), viclip_models["video"]["sha256"])
        self.assertEqual(pc.sha256_file(os.path.join(out, "viclip-l14-text.onnx")), viclip_models["text"]["sha256"])
        import umt_golden
        self.run_exporter(umt_export, ["--checkpoint", umt_ckpt, "--out-dir", out, "--reduced-config", json.dumps(umt_golden.CONFIG)])
        onnx.checker.check_model(onnx.load(os.path.join(out, "umt-vit-l16-k400.onnx")))
        wrapped = os.path.join(self.dir, "umt-wrapped.pth")
        torch.save({"model": torch.load(umt_ckpt)}, wrapped)
        bad_out = os.path.join(self.dir, "umt-bad")
        with ExtractRecorder() as rec, self.assertRaises(SystemExit) as cm:
            umt_export.main(["--checkpoint", wrapped, "--out-dir", bad_out, "--reduced-config", json.dumps(umt_golden.CONFIG)])
        self.assertIn("does not fit the official model", str(cm.exception.code))
        self.assertFalse(os.path.exists(os.path.join(bad_out, "umt-vit-l16-k400.onnx")))
        for d in rec.dirs:
            self.assertFalse(os.path.exists(d), f"temp extract {d} left behind after the failure")
        self.assertNotIn("timm", sys.modules)
        clip_last = os.path.join(self.dir, "clip-last")
        self.run_exporter(clip_export, ["--b32", b32, "--laion", laion, "--out-dir", clip_last])
        for name in ("clip-vit-b32-image.onnx", "laion-aesthetic-vit-l14.onnx"):
            with open(os.path.join(clip_again, name), "rb") as a, open(os.path.join(clip_last, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), f"{name}: clip_image.py after the semantic exporters differs")

    @unittest.skipUnless(os.environ.get("GENBENCH_SLOW_EXPORT_TESTS") == "1", "RAFT exports take minutes: set GENBENCH_SLOW_EXPORT_TESTS=1")
    def test_amt_then_raft_in_one_process(self):
        import amt as amt_export
        import raft as raft_export
        amt_ckpt = os.path.join(self.dir, "amt-s-random-2.pth")
        raft_ckpt = os.path.join(self.dir, "raft-small-random.pth")
        random_amt_checkpoint(amt_ckpt)
        random_raft_small_checkpoint(raft_ckpt)
        self.run_exporter(amt_export, [amt_ckpt, os.path.join(self.dir, "amt-2.onnx")])
        raft_out = os.path.join(self.dir, "raft.onnx")
        self.run_exporter(raft_export, [raft_ckpt, raft_out, "--small"])
        onnx.checker.check_model(onnx.load(raft_out))

    def test_musiq_contract_mismatch_exits_nonzero_and_writes_nothing(self):
        import musiq as musiq_export
        import official_musiq as om
        ckpt = os.path.join(self.dir, "musiq-random.pth")
        with pc.isolated_imports():
            arch = om.load_musiq_arch(pc.pick_source(None, om.DEFAULT_PYIQA, "pyiqa"))
            torch.manual_seed(0)
            torch.save(arch.MUSIQ(pretrained=False).state_dict(), ckpt)
        out = os.path.join(self.dir, "musiq.onnx")
        forward = musiq_export.ContractMUSIQ.forward
        musiq_export.ContractMUSIQ.forward = lambda self, patches: forward(self, patches) + 0.5
        try:
            with ExtractRecorder() as rec, self.assertRaises(SystemExit) as cm:
                musiq_export.main(["--ckpt", ckpt, "--out", out])
        finally:
            musiq_export.ContractMUSIQ.forward = forward
        self.assertNotIn(cm.exception.code, (0, None))
        self.assertIn("does not reproduce the official MUSIQ forward", str(cm.exception.code))
        self.assertFalse(os.path.exists(out), "musiq.py wrote a file that fails the contract check")
        for d in rec.dirs:
            self.assertFalse(os.path.exists(d), f"temp extract {d} left behind after the failure")
        self.assertNotIn("pyiqa", sys.modules)


if __name__ == "__main__":
    unittest.main(verbosity=2)
