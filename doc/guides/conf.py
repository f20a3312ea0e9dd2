# Sphinx configuration for the librte_sva guides (meson -Ddocs=true).
project = 'librte_sva'
copyright = '2026, The librte_sva authors'
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
