import sys
from pathlib import Path

# the sweep tests share roundtrip_util.py
sys.path.insert(0, str(Path(__file__).parent))
