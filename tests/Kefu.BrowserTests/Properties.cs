// Browser tests share two cores with the server under test: one test class at a time keeps
// timings (typing indicators, reconnects) predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
