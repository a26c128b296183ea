#!/usr/bin/python3
"""Export ViCLIP-L/14 (InternVid-10M-FLT), the model of VBench temporal_style and overall_consistency, to
the genbench ONNX contracts (tools/parity/official_viclip.py):

* 'viclip-l14-video': `pixel_values` float32 [batch, 8, 3, 224, 224] -> `video_embeds` float32 [batch, 768]
  = ViCLIP.encode_vision(x, test=True) (not normalised);
* 'viclip-l14-text': `input_ids` int64 [batch, 32] -> `text_embeds` float32 [batch, 768]
  = ViCLIP.text_encoder(ids) (not normalised); ids from CLIP BPE at context 32 with ViCLIP's truncation.

The model is the OFFICIAL vbench/third_party/ViCLIP code of VBench 45e79ec, read from a git mirror or
checkout and run as compute_temporal_style runs it: ViCLIP(tokenizer=SimpleTokenizer(<bpe>),
pretrain=CHECKPOINT), which loads the checkpoint's ['model'] entry with load_state_dict (strict: a
missing or unexpected key fails). timm/einops are the stand-ins of tools/parity/timm_einops_standins.py
(only identity-in-eval DropPath, register_model and ViCLIP's two rearrange patterns are used); the BPE
file is copied from the openai/CLIP mirror into a temporary cache so that nothing is downloaded.
fp32, as VBench runs ViCLIP.

The checkpoint (VBench's init_submodules fetches it into <cache>/ViCLIP/):
  https://huggingface.co/OpenGVLab/VBench_Used_Models/resolve/main/ViClip-InternVid-10M-FLT.pth

  /usr/bin/python3 tools/export/viclip.py --checkpoint ViClip-InternVid-10M-FLT.pth --out-dir DIR
      [--vbench M] [--clip M] [--pydeps DIR] [--opset 17] [--no-ort-check]

Writes DIR/viclip-l14-video.onnx and DIR/viclip-l14-text.onnx and prints their sha256. The checks: the
contract wrappers vs the official encode_vision / text_encoder (exact), and onnxruntime-node
(tools/parity/ort-run.ts) vs torch on a deterministic clip and on the token ids of a few VBench prompts,
including one that the context of 32 truncates: |diff| <= 1e-4. --reduced-config JSON builds the official
classes with smaller sizes (the golden's, tools/parity/viclip_golden.py CONFIG) instead of L/14: for the
exporter's own test only.
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import official_viclip as ov  # noqa: E402
import official_vbench_semantic as ovs  # noqa: E402
import parity_common as pc  # noqa: E402

# Check texts: the n-th prompt of these dimensions in VBench_full_info.json (the 91st temporal_style one
# is cut by the context of 32).
CHECK_PROMPTS = [("temporal_style", 0), ("temporal_style", 90), ("overall_consistency", 0), ("overall_consistency", 41)]


def check(model, video_path, text_path, id_rows):
    x = pc.check_input((2, ov.FRAMES, 3, 224, 224), offset=-0.5, scale=4.0)
    ids = torch.stack(id_rows).long()
    with torch.no_grad():
        v_ref = model.encode_vision(x, test=True).float()
        t_ref = model.text_encoder(ids).float()
        with ov.no_checkpointing(model):
            v_wrap = ov.ContractVideo(model)(x)
        t_wrap = ov.ContractText(model)(ids)
    if not (torch.equal(v_ref, v_wrap) and torch.equal(t_ref, t_wrap)):
        sys.exit("the contract wrappers do not reproduce the official encode_vision / text_encoder")
    return x, ids, v_ref, t_ref


def ort_check(video_path, text_path, x, ids, v_ref, t_ref):
    v = pc.ort_run_node(video_path, {"pixel_values": x.numpy()})["video_embeds"]
    t = pc.ort_run_node(text_path, {"input_ids": ids.numpy()})["text_embeds"]
    dv = float(np.abs(v - v_ref.numpy()).max())
    dt = float(np.abs(t - t_ref.numpy()).max())
    print(f"  torch vs onnxruntime-node: video_embeds max |diff| {dv:.3g}, text_embeds max |diff| {dt:.3g}", file=sys.stderr)
    if not (dv <= 1e-4 and dt <= 1e-4):  # NaN fails too
        sys.exit("the exported graphs do not match the torch model")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="ViClip-InternVid-10M-FLT.pth ({'model': state_dict})")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (the BPE file)")
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel (the tokenizer imports ftfy)")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--no-ort-check", action="store_true", help="skip the onnxruntime-node comparison")
    ap.add_argument("--reduced-config", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    with pc.isolated_imports(), tempfile.TemporaryDirectory(prefix="viclip-cache-") as cache:
        vb, root, viclip = ov.load(pc.pick_vbench(a.vbench), cache, a.pydeps, a.clip)
        info = ovs.full_info(root)
        if a.reduced_config:
            with ov.reduced(viclip, json.loads(a.reduced_config)):
                model = ov.load_checkpoint(viclip, a.checkpoint)
        else:
            model = ov.load_checkpoint(viclip, a.checkpoint)
        model.eval()
        by_dim = {d: [e["prompt_en"] for e in info if d in e["dimension"]] for d, _ in CHECK_PROMPTS}
        id_rows = [model.text_encoder.tokenize(by_dim[d][n], context_length=ov.CONTEXT)[0] for d, n in CHECK_PROMPTS]
        os.makedirs(a.out_dir, exist_ok=True)
        video_path = os.path.join(a.out_dir, "viclip-l14-video.onnx")
        text_path = os.path.join(a.out_dir, "viclip-l14-text.onnx")
        checked = check(model, video_path, text_path, id_rows)
        video_sha = ov.export_video(model, video_path, opset=a.opset)
        text_sha = ov.export_text(model, text_path, opset=a.opset)
        if not a.no_ort_check:
            ort_check(video_path, text_path, *checked)
        print(f"{video_sha}  {video_path}")
        print(f"{text_sha}  {text_path}")


if __name__ == "__main__":
    main()
