"""Regenerates the PyTorch golden fixtures of test/Recurrent.Native.Tests/Golden/.

How to run (from the repository root, on Debian/Ubuntu):

    apt install python3-torch
    /usr/bin/python3 tools/make_golden.py

Use exactly /usr/bin/python3 (the interpreter Debian's python3-torch is installed for); the script needs nothing
else (no numpy). It overwrites the *.safetensors files in the Golden folder; with the same torch version the output
is byte for byte the same (fixed seeds). The fixtures in the repository were made with torch 1.13.

Every fixture is one safetensors file, all tensors float32, time-major ([T, B, F], batch_first=False):
  weights          under the engine's names (PyTorch's for recurrent layers: weight_ih_l0, ..., *_reverse;
                   dense0.weight/bias for a hidden nn.Linear, output.weight/bias for the head)
  input            x [T, B, I]
  lengths          [B], only for packed (padded) cases: sequence b is present on steps [0, lengths[b])
  initial_h.l{k}   h0 [B, H] of recurrent layer k (unidirectional cases; bidirectional ones start from zeros)
  initial_c.l{k}   c0 [B, H] (LSTM)
  output           the network output [T, B, O] (zeros at padded steps; softmax probabilities for cross-entropy)
  final_h.l{k}     h_n [B, H] (unidirectional cases; at the last present step of each sequence when packed)
  final_c.l{k}     c_n [B, H] (LSTM)
  output_grad      R [T, B, O] for the cases whose loss is L = sum(output * R)
  targets, loss    for the loss cases (classes stored as float, or regression targets), loss a scalar
  grad.{name}      dL/d(name) for every weight

The weights, inputs, states and R are drawn in float32 and the computation runs in float64, so the stored
outputs and gradients are the exact results rounded once to float32; the tests compare a float engine
(and a double one) against them.
"""

import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS, BATCH, INPUT = 4, 2, 3
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "Recurrent.Native.Tests", "Golden")


def save_safetensors(path, tensors, metadata):
    """Writes float32 tensors (an ordered dict name -> tensor) as safetensors with struct and json only."""
    header = {"__metadata__": metadata}
    chunks, offset = [], 0
    for name, tensor in tensors.items():
        values = tensor.detach().to(torch.float64).reshape(-1).tolist()
        data = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in chunks:
            f.write(data)


def f32(*shape, scale=1.0):
    """A random float32 tensor (so every value is exact in float32), returned as float64."""
    return (torch.randn(*shape, dtype=torch.float32) * scale).to(torch.float64)


def recurrent_case(name, description, module, lstm, packed_lengths=None):
    """L = sum(output * R) through one nn.LSTM / nn.RNN; stores weights, data, results and gradients."""
    module = module.to(torch.float64)
    bidirectional, layers, hidden = module.bidirectional, module.num_layers, module.hidden_size
    x = f32(STEPS, BATCH, INPUT)
    state = None
    if not bidirectional:
        h0 = f32(layers, BATCH, hidden, scale=0.5)
        c0 = f32(layers, BATCH, hidden, scale=0.5)
        state = (h0, c0) if lstm else h0
    if packed_lengths is None:
        output, final = module(x, state)
    else:
        packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(packed_lengths), enforce_sorted=False)
        packed_out, final = module(packed, state)
        output, _ = nn.utils.rnn.pad_packed_sequence(packed_out, total_length=STEPS)
    r = f32(*output.shape)
    module.zero_grad()
    (output * r).sum().backward()

    tensors = {n: p for n, p in module.named_parameters()}
    tensors["input"] = x
    if packed_lengths is not None:
        tensors["lengths"] = torch.tensor(packed_lengths, dtype=torch.float64)
    h0, c0 = (state if lstm else (state, None)) if state is not None else (None, None)
    hn, cn = final if lstm else (final, None)
    for k in range(layers if h0 is not None else 0):
        tensors["initial_h.l%d" % k] = h0[k]
        if lstm:
            tensors["initial_c.l%d" % k] = c0[k]
    tensors["output"] = output
    for k in range(layers if h0 is not None else 0):
        tensors["final_h.l%d" % k] = hn[k]
        if lstm:
            tensors["final_c.l%d" % k] = cn[k]
    tensors["output_grad"] = r
    for n, p in module.named_parameters():
        tensors["grad." + n] = p.grad
    write(name, description, tensors)


def head_case(name, description, loss_kind):
    """nn.LSTM -> [nn.Linear + tanh as dense0] -> nn.Linear head, with cross-entropy or MSE (mean over all steps)."""
    hidden, classes = 5, 4
    lstm = nn.LSTM(INPUT, hidden).to(torch.float64)
    dense = nn.Linear(hidden, 6).to(torch.float64) if loss_kind == "mse" else None
    head = nn.Linear(6 if dense else hidden, classes if loss_kind == "ce" else 2).to(torch.float64)
    x = f32(STEPS, BATCH, INPUT)
    h0, c0 = f32(1, BATCH, hidden, scale=0.5), f32(1, BATCH, hidden, scale=0.5)
    seq, (hn, cn) = lstm(x, (h0, c0))
    features = torch.tanh(dense(seq)) if dense else seq
    logits = head(features)
    if loss_kind == "ce":
        targets = torch.randint(0, classes, (STEPS, BATCH))
        loss = F.cross_entropy(logits.reshape(-1, classes), targets.reshape(-1))
        output = torch.softmax(logits, dim=-1)
    else:
        targets = f32(STEPS, BATCH, 2)
        loss = F.mse_loss(logits, targets)
        output = logits
    loss.backward()

    named = [(n, p) for n, p in lstm.named_parameters()]
    if dense:
        named += [("dense0." + n, p) for n, p in dense.named_parameters()]
    named += [("output." + n, p) for n, p in head.named_parameters()]
    tensors = {n: p for n, p in named}
    tensors.update({"input": x, "initial_h.l0": h0[0], "initial_c.l0": c0[0], "output": output,
                    "final_h.l0": hn[0], "final_c.l0": cn[0], "targets": targets.to(torch.float64), "loss": loss})
    for n, p in named:
        tensors["grad." + n] = p.grad
    write(name, description, tensors)


def write(name, description, tensors):
    metadata = {"description": description, "generator": "tools/make_golden.py", "torch": torch.__version__}
    path = os.path.join(OUT_DIR, name + ".safetensors")
    save_safetensors(path, tensors, metadata)
    print("%-28s %6d bytes  %s" % (name + ".safetensors", os.path.getsize(path), description))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    cases = [
        ("lstm_1layer", "nn.LSTM(3, 5), h0/c0 given", lambda: nn.LSTM(INPUT, 5), True, None),
        ("lstm_2layer", "nn.LSTM(3, 5, num_layers=2), h0/c0 given", lambda: nn.LSTM(INPUT, 5, num_layers=2), True, None),
        ("bilstm_2layer", "nn.LSTM(3, 4, num_layers=2, bidirectional=True), zero state",
         lambda: nn.LSTM(INPUT, 4, num_layers=2, bidirectional=True), True, None),
        ("rnn_tanh_2layer", "nn.RNN(3, 5, num_layers=2, nonlinearity='tanh'), h0 given",
         lambda: nn.RNN(INPUT, 5, num_layers=2), False, None),
        ("rnn_relu_1layer", "nn.RNN(3, 5, nonlinearity='relu'), h0 given",
         lambda: nn.RNN(INPUT, 5, nonlinearity="relu"), False, None),
        ("birnn_tanh_2layer", "nn.RNN(3, 4, num_layers=2, bidirectional=True), zero state",
         lambda: nn.RNN(INPUT, 4, num_layers=2, bidirectional=True), False, None),
        ("lstm_packed", "nn.LSTM(3, 5) on a packed batch, lengths [4, 2], h0/c0 given",
         lambda: nn.LSTM(INPUT, 5), True, [4, 2]),
        ("bilstm_packed", "nn.LSTM(3, 4, bidirectional=True) on a packed batch, lengths [2, 4], zero state",
         lambda: nn.LSTM(INPUT, 4, bidirectional=True), True, [2, 4]),
    ]
    for seed, (name, description, make, lstm, lengths) in enumerate(cases):
        torch.manual_seed(seed)
        recurrent_case(name, description, make(), lstm, lengths)
    torch.manual_seed(100)
    head_case("lstm_head_crossentropy", "nn.LSTM(3, 5) -> nn.Linear(5, 4) -> CrossEntropyLoss (mean), h0/c0 given", "ce")
    torch.manual_seed(101)
    head_case("lstm_dense_mse", "nn.LSTM(3, 5) -> nn.Linear(5, 6) + tanh -> nn.Linear(6, 2) -> MSELoss (mean)", "mse")


if __name__ == "__main__":
    main()
