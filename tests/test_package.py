"""The package's top-level names."""

import membranelab


class TestPackage:
    def test_all_is_what_it_claims(self):
        """__all__ names exactly the public top-level attributes a notebook needs."""
        assert sorted(membranelab.__all__) == ["__version__", "current_student", "set_student"]
        for name in membranelab.__all__:
            assert hasattr(membranelab, name)

    def test_set_student(self, monkeypatch):
        """membranelab.set_student sets the id current_student reports."""
        for var in ("MEMBRANELAB_STUDENT", "JUPYTERHUB_USER"):
            monkeypatch.setenv(var, "placeholder")  # registers the restore of the original state
            monkeypatch.delenv(var)
        assert membranelab.current_student() is None
        membranelab.set_student("lena")
        assert membranelab.current_student() == "lena"

    def test_physics_all(self):
        """membranelab.physics exports every solver it registers."""
        from membranelab import physics

        assert set(physics.SOLVERS) <= set(physics.__all__)
