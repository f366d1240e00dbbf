"""Background and batch work, and what it leaves on disk: the whole-pool batch run on Dask
(:mod:`api.jobs.batch`), when the service starts it by itself (:mod:`api.market.schedule`), the
stored runs (:mod:`api.jobs.run_store`), training the re-ranker (:mod:`api.jobs.training`) and
the trained models on disk (:mod:`api.jobs.model_store`)."""
