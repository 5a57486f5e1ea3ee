// Every class starts its own in-process cluster and the race tests keep both cores busy: one class at a time keeps
// cluster start-up and the races from starving each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
