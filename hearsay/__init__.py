"""hearsay: who says this, according to whom, how sure are they?"""

__version__ = "0.1.0"
