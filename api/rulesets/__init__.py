"""Rule sets: versions, comparison and activation, and the evaluation and training that judge
them."""
