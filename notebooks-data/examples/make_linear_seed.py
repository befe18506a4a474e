#!/usr/bin/python3
"""Writes the seed example of SparkPS's deeplearning4j module, without Keras.

The Keras program it stands for:

    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer='sgd', loss='mean_squared_error')
    model.fit(X, y, epochs=100, batch_size=1)

on y = 3x + 2 + noise: 100 rows, x uniform in [0, 1), noise N(0, 0.5^2), seed 2017.

Outputs, next to this script:
  linear-seed.csv  the 100 rows (header x,y)
  linear-seed.h5   the compiled, untrained model as Keras 2.2.4's model.save() lays it out
                   in HDF5 (model_config, training_config, model_weights/dense_1/dense_1/
                   kernel:0 and bias:0), which DL4J's KerasModelImport reads
  linear-seed.lsq  the least-squares slope and intercept of the rows, for the test

Run with Debian's python and h5py: apt-get install python3-h5py; /usr/bin/python3 make_linear_seed.py
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(2017)
x = rng.uniform(0.0, 1.0, size=100)
y = 3.0 * x + 2.0 + rng.normal(0.0, 0.5, size=100)

with open(os.path.join(HERE, "linear-seed.csv"), "w") as f:
    f.write("x,y\n")
    for xi, yi in zip(x, y):
        f.write("%.8f,%.8f\n" % (xi, yi))

slope, intercept = np.polyfit(x, y, 1)
with open(os.path.join(HERE, "linear-seed.lsq"), "w") as f:
    f.write("slope=%.8f\nintercept=%.8f\n" % (slope, intercept))

# Keras' defaults for Dense(1): glorot_uniform kernel (limit sqrt(6 / (1 + 1))), zero bias
limit = np.sqrt(6.0 / 2.0)
kernel = rng.uniform(-limit, limit, size=(1, 1)).astype(np.float32)
bias = np.zeros((1,), dtype=np.float32)

dense = {
    "name": "dense_1", "trainable": True, "batch_input_shape": [None, 1],
    "dtype": "float32", "units": 1, "activation": "linear", "use_bias": True,
    "kernel_initializer": {"class_name": "VarianceScaling", "config": {
        "scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
    "bias_initializer": {"class_name": "Zeros", "config": {}},
    "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
    "kernel_constraint": None, "bias_constraint": None,
}
model_config = {"class_name": "Sequential",
                "config": {"name": "sequential_1", "layers": [
                    {"class_name": "Dense", "config": dense}]}}
training_config = {
    "optimizer_config": {"class_name": "SGD", "config": {
        "lr": 0.01, "momentum": 0.0, "decay": 0.0, "nesterov": False}},
    "loss": "mean_squared_error", "metrics": [], "sample_weight_mode": None,
    "loss_weights": None,
}

with h5py.File(os.path.join(HERE, "linear-seed.h5"), "w") as f:
    f.attrs["keras_version"] = b"2.2.4"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
    f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
    weights = f.create_group("model_weights")
    weights.attrs["layer_names"] = np.array([b"dense_1"])
    weights.attrs["backend"] = b"tensorflow"
    weights.attrs["keras_version"] = b"2.2.4"
    layer = weights.create_group("dense_1")
    layer.attrs["weight_names"] = np.array([b"dense_1/kernel:0", b"dense_1/bias:0"])
    inner = layer.create_group("dense_1")
    inner.create_dataset("kernel:0", data=kernel)
    inner.create_dataset("bias:0", data=bias)

print("slope %.6f intercept %.6f (least squares)" % (slope, intercept))
