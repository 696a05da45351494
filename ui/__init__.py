"""verify's Gradio page (launched by ``verify ui``)."""
