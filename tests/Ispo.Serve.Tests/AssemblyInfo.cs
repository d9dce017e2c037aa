// One test at a time: each server's worker and the tests' own sampler calls are libtorch threads, and two at once
// need NoCollection's care (the server has it; a test calling the sampler beside another test's server would not).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
