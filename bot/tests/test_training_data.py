"""The NLU training data as Rasa reads it."""
import warnings
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

NLU_FILES = sorted((Path(__file__).resolve().parent.parent / "data" / "nlu").glob("*.yml"))


@pytest.mark.parametrize("path", NLU_FILES, ids=lambda path: path.name)
def test_every_line_of_an_examples_block_is_an_example(path):
    """A comment inside an `examples: |` block is text, not a YAML comment: Rasa
    skips the line with a warning at every training, test and evaluation, and
    `rasa data validate` does not say so."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = load_data(str(path))
    assert data.training_examples or data.lookup_tables
    assert [str(w.message) for w in caught if "will be skipped" in str(w.message)] == []
