"""The ratings models: Keras rating predictors compared by RMSE, the taste model (weighted matrix factorisation of
who rated what) whose film factors become the bundle's ratings view, and their alignment with the catalogue."""
