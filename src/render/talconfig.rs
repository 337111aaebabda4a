//! talhelper `talconfig.yaml` from the model (and back, for `genconfig`).
