"""The link model: films and the pages they link to as (film, link) pairs, vectorised tf.data batches with
negatives, the Keras model (one vector per film and per link, scored by cosine) and its fit on CPU or GPUs."""
