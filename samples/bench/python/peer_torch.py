"""PyTorch-Python peer for NeuralPeerBenchmark: the same LSTM next-action model on the same token ids.

Embedding 16, LSTM 2x64 (batch first), linear over the vocabulary; windows of 10 previous tokens
left-padded with 0, the end of each sequence predicted as token 0; Adam lr 0.002, batch 256,
softmax cross-entropy, gradients clipped to [-5, 5] element-wise (as DJL's optClipGrad on the Java
side); one intra-op and one inter-op thread. Training time is timed over the epochs after the first
(the first warms up both sides; the Java side times the same epochs), windows built before.
Prints: RESULT <seconds of epochs 2..n> <score seconds>.
"""
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
torch.manual_seed(1)


class Net(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, 16)
        self.rnn = nn.LSTM(16, 64, num_layers=2, batch_first=True)
        self.out = nn.Linear(64, vocab)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h[:, -1, :])


def windows(path, window=10):
    xs, ys = [], []
    with open(path) as f:
        for line in f:
            t = [int(v) for v in line.split()]
            for i in range(len(t) + 1):
                ctx = [t[j] if j >= 0 else 0 for j in range(i - window, i)]
                xs.append(ctx)
                ys.append(t[i] if i < len(t) else 0)
    return torch.tensor(xs, dtype=torch.long), torch.tensor(ys, dtype=torch.long)


def main():
    x, y = windows(sys.argv[1])
    vocab, epochs = int(sys.argv[2]), int(sys.argv[3])
    print(f"PyTorch {torch.__version__}, {len(y)} windows")
    net = Net(vocab)
    opt = torch.optim.Adam(net.parameters(), lr=0.002)
    loss_fn = nn.CrossEntropyLoss()
    ends = []
    for _ in range(epochs):
        perm = torch.randperm(len(y))
        for i in range(0, len(y), 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            torch.nn.utils.clip_grad_value_(net.parameters(), 5.0)
            opt.step()
        ends.append(time.perf_counter())
    train = ends[-1] - ends[0]
    net.eval()
    with torch.no_grad():
        net(x[:2000])  # warm-up
        t1 = time.perf_counter()
        for i in range(0, len(y), 64):
            net(x[i:i + 64]).log_softmax(1)
        score = time.perf_counter() - t1
    print(f"RESULT {train:.4f} {score:.4f}", flush=True)


if __name__ == "__main__":
    main()
